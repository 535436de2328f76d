/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-mailto.c: mailto: links as RFC 6068 writes them, as web pages really write
 * them, and as an attacker would: the draft each one gives, or the error. */
#include "config.h"

#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-mailto.h"

static KontorMailDraft *
parse (const char *uri)
{
  g_autoptr (GError) error = NULL;
  KontorMailDraft *draft = kontor_mail_mailto_parse (uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  /* A link never chooses the identity nor brings parts. */
  g_assert_cmpint (draft->identity, ==, -1);
  g_assert_null (draft->from);
  g_assert_cmpuint (draft->attachments->len, ==, 0);
  return draft;
}

static void
assert_list (GPtrArray *list, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (list->len, n); i++)
    g_assert_cmpstr (g_ptr_array_index (list, i), ==, expected[i]);
  g_assert_cmpuint (list->len, ==, n);
}

#define ASSERT_LIST(list, ...) assert_list ((list), (const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_EMPTY(list)     g_assert_cmpuint ((list)->len, ==, 0)

/* The examples of RFC 6068 §6. */
static void
test_rfc_examples (void)
{
  g_autoptr (KontorMailDraft) chris = parse ("mailto:chris@example.com");
  g_autoptr (KontorMailDraft) subject = parse ("mailto:infobot@example.com?subject=current-issue");
  g_autoptr (KontorMailDraft) body = parse ("mailto:infobot@example.com?body=send%20current-issue");
  g_autoptr (KontorMailDraft) lines =
    parse ("mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index");
  g_autoptr (KontorMailDraft) reply =
    parse ("mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E");
  g_autoptr (KontorMailDraft) cc = parse ("mailto:joe@example.com?cc=bob@example.com&body=hello");
  g_autoptr (KontorMailDraft) percent = parse ("mailto:gorby%25kremvax@example.com");
  g_autoptr (KontorMailDraft) question = parse ("mailto:unlikely%3Faddress@example.com?blat=foop");
  g_autoptr (KontorMailDraft) two = parse ("mailto:?to=addr1@an.example,addr2@an.example");
  g_autoptr (KontorMailDraft) path_and_to = parse ("mailto:addr1@an.example?to=addr2@an.example");
  g_autoptr (KontorMailDraft) utf8 = parse ("mailto:user@example.org?subject=caf%C3%A9");
  g_autoptr (KontorMailDraft) encoded_word =
    parse ("mailto:user@example.org?subject=%3D%3Futf-8%3FQ%3Fcaf%3DC3%3DA9%3F%3D");

  ASSERT_LIST (chris->to, "chris@example.com");
  ASSERT_EMPTY (chris->cc);
  g_assert_cmpstr (chris->subject, ==, "");
  g_assert_cmpstr (chris->body, ==, "");
  g_assert_null (chris->in_reply_to);

  g_assert_cmpstr (subject->subject, ==, "current-issue");
  g_assert_cmpstr (body->body, ==, "send current-issue");
  g_assert_cmpstr (lines->body, ==, "send current-issue\nsend index");
  ASSERT_LIST (reply->to, "list@example.org");
  g_assert_cmpstr (reply->in_reply_to, ==, "<3469A91.D10AF4C@example.com>");
  g_assert_cmpstr (reply->references, ==, "<3469A91.D10AF4C@example.com>");
  ASSERT_LIST (cc->to, "joe@example.com");
  ASSERT_LIST (cc->cc, "bob@example.com");
  g_assert_cmpstr (cc->body, ==, "hello");
  ASSERT_LIST (percent->to, "gorby%kremvax@example.com");
  ASSERT_LIST (question->to, "unlikely?address@example.com");
  g_assert_cmpstr (question->body, ==, "");
  ASSERT_LIST (two->to, "addr1@an.example", "addr2@an.example");
  ASSERT_LIST (path_and_to->to, "addr1@an.example", "addr2@an.example");
  g_assert_cmpstr (utf8->subject, ==, "café");
  /* RFC 6068 §2: an encoded word is the subject as it is, not decoded here. */
  g_assert_cmpstr (encoded_word->subject, ==, "=?utf-8?Q?caf=C3=A9?=");
}

static void
test_fields (void)
{
  g_autoptr (KontorMailDraft) all =
    parse ("MAILTO:a@example.com,B@example.com?To=c@example.com&CC=d@example.com%2C%20b@EXAMPLE.com"
           "&bcc=e@example.com&Subject=Hello%20World&BODY=Line%201%0D%0ALine%202%0A%0Ac%2B%2B+x");
  g_autoptr (KontorMailDraft) names =
    parse ("mailto:%22J%C3%B6rg%20M%C3%BCller%22%20%3Cjoerg@example.com%3E"
           "?cc=%22Smith%2C%20Ann%22%20%3Cann@example.com%3E&subject=%C3%84nderung%20%E2%9C%93");
  g_autoptr (KontorMailDraft) first_wins = parse (
    "mailto:x@example.com?subject=first&subject=second&body=one&body=two&unknown=1&from=evil@"
    "example.com&x-mailer=y&novalue&=empty");

  ASSERT_LIST (all->to, "a@example.com", "B@example.com", "c@example.com");
  /* b@EXAMPLE.com is in To already. */
  ASSERT_LIST (all->cc, "d@example.com");
  ASSERT_LIST (all->bcc, "e@example.com");
  g_assert_cmpstr (all->subject, ==, "Hello World");
  /* "+" is a plus in mailto: (RFC 6068 §5), not a space. */
  g_assert_cmpstr (all->body, ==, "Line 1\nLine 2\n\nc+++x");

  ASSERT_LIST (names->to, "Jörg Müller <joerg@example.com>");
  ASSERT_LIST (names->cc, "\"Smith, Ann\" <ann@example.com>");
  g_assert_cmpstr (names->subject, ==, "Änderung ✓");

  ASSERT_LIST (first_wins->to, "x@example.com");
  ASSERT_EMPTY (first_wins->cc);
  g_assert_cmpstr (first_wins->subject, ==, "first");
  g_assert_cmpstr (first_wins->body, ==, "one");
}

/* Links that try to add headers or files. */
static void
test_hostile (void)
{
  static const char *const attach[] = {
    "mailto:victim@example.com?attach=/etc/passwd",
    "mailto:victim@example.com?attachment=file:///etc/passwd&body=hi",
    "mailto:victim@example.com?Attach=file%3A%2F%2F%2Fetc%2Fpasswd",
    "mailto:victim@example.com?ATTACHMENT=%2Fetc%2Fpasswd&attachments=/etc/passwd",
    "mailto:victim@example.com?body=hi&attach=~/.ssh/id_rsa&attach=/etc/passwd",
  };
  g_autoptr (KontorMailDraft) injection =
    parse ("mailto:a@example.com?subject=Hi%0D%0ABcc:%20spy@example.com"
           "&in-reply-to=%3Cx@example.com%3E%0D%0ABcc:%20spy@example.com"
           "&cc=%22Eve%0D%0ABcc:%20spy@example.com%22%20%3Ceve@example.com%3E");
  g_autoptr (KontorMailDraft) bad_id = parse ("mailto:a@example.com?in-reply-to=not-an-id");

  for (guint i = 0; i < G_N_ELEMENTS (attach); i++)
    {
      g_autoptr (KontorMailDraft) draft = parse (attach[i]);

      ASSERT_LIST (draft->to, "victim@example.com");
      g_assert_cmpuint (draft->attachments->len, ==, 0);
      g_assert_null (strstr (draft->body, "passwd"));
      g_assert_null (strstr (draft->subject, "passwd"));
    }

  /* Header values stay on one line. */
  g_assert_cmpstr (injection->subject, ==, "Hi  Bcc: spy@example.com");
  g_assert_null (injection->in_reply_to);
  ASSERT_LIST (injection->cc, "\"Eve Bcc: spy@example.com\" <eve@example.com>");
  ASSERT_EMPTY (injection->bcc);
  g_assert_null (bad_id->in_reply_to);
}

static void
test_invalid (void)
{
  static const char *const uris[] = {
    "",
    "http://example.com/",
    "mail:joe@example.com",
    "mailto:joe@example.com?subject=%ZZ",
    "mailto:joe@example.com?subject=%4",
    "mailto:joe%00@example.com",
    "mailto:joe@example.com?body=%C3%28",
    "mailto:joe@example.com?subject=caf%E9",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KontorMailDraft) draft = kontor_mail_mailto_parse (uris[i], &error);

      g_assert_null (draft);
      g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
    }
}

/* What the command line and other applications pass: spaces around, empty links. */
static void
test_lenient (void)
{
  g_autoptr (KontorMailDraft) spaced = parse ("  mailto:joe@example.com \n");
  g_autoptr (KontorMailDraft) empty = parse ("mailto:");
  g_autoptr (KontorMailDraft) query_only = parse ("mailto:?subject=Hi");

  ASSERT_LIST (spaced->to, "joe@example.com");
  ASSERT_EMPTY (empty->to);
  g_assert_cmpstr (empty->subject, ==, "");
  ASSERT_EMPTY (query_only->to);
  g_assert_cmpstr (query_only->subject, ==, "Hi");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_test_add_func ("/kontor/mail-mailto/rfc-examples", test_rfc_examples);
  g_test_add_func ("/kontor/mail-mailto/fields", test_fields);
  g_test_add_func ("/kontor/mail-mailto/hostile", test_hostile);
  g_test_add_func ("/kontor/mail-mailto/invalid", test_invalid);
  g_test_add_func ("/kontor/mail-mailto/lenient", test_lenient);

  return g_test_run ();
}
