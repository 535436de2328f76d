/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-reply.c: reply and forward drafts as the composer will get them, from
 * real-world messages: recipients, identity, subject, threading, quote, forwarded parts. */
#include "config.h"

#include <string.h>

#include "kontor-mail-content.h"
#include "kontor-mail-reply.h"

static const char *data_dir;

static const char *const me_aliases[] = { "me.alias@example.org", NULL };

/* The default identity, which none of the corpus messages was sent to. */
#define ME                                    \
  {                                           \
    "me@example.com", "Me Myself", me_aliases \
  }

/* Helpers */

static CamelMimeMessage *
load_message (const char *name)
{
  g_autofree char *path = g_build_filename (data_dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  CamelMimeMessage *message = kontor_mail_message_from_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static CamelMimeMessage *
message_from_string (const char *source)
{
  g_autoptr (GBytes) bytes = g_bytes_new (source, strlen (source));
  g_autoptr (GError) error = NULL;
  CamelMimeMessage *message = kontor_mail_message_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static KontorMailDraft *
draft_for_file (const char *name,
                const KontorMailIdentity *identities,
                guint n_identities,
                KontorMailReplyMode mode)
{
  g_autoptr (CamelMimeMessage) message = load_message (name);

  return kontor_mail_reply_new_draft (message, identities, n_identities, mode);
}

static KontorMailDraft *
draft_for_string (const char *source, KontorMailReplyMode mode)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (CamelMimeMessage) message = message_from_string (source);

  return kontor_mail_reply_new_draft (message, identities, G_N_ELEMENTS (identities), mode);
}

/* @list holds exactly @expected (NULL-terminated), in order. */
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

/* Subject and quote */

static void
test_subject (void)
{
  static const struct
  {
    const char *subject;
    KontorMailReplyMode mode;
    const char *expected;
  } cases[] = {
    { "Hello", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Hello" },
    { "Re: Hello", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Hello" },
    { "Re: Re: Re: Hello", KONTOR_MAIL_REPLY_MODE_REPLY_ALL, "Re: Hello" },
    { "RE: AW: Aw: SV: Antw: Hello", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Hello" },
    { "Re[2]: Re(3): Hello", KONTOR_MAIL_REPLY_MODE_REPLY_LIST, "Re: Hello" },
    { "Re : Bonjour", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Bonjour" },
    { "Re\xef\xbc\x9a件名", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: 件名" },
    { "  Re:Hello  ", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Hello" },
    { "Regarding: the plan", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Regarding: the plan" },
    { "Fwd: Hello", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Fwd: Hello" },
    { "Fwd: Hello", KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE, "Fwd: Hello" },
    { "FW: WG: Fwd: Hello", KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT, "Fwd: Hello" },
    { "Re: Hello", KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE, "Fwd: Re: Hello" },
    { "Hi\r\nBcc: x@example.com", KONTOR_MAIL_REPLY_MODE_REPLY, "Re: Hi  Bcc: x@example.com" },
    { "Re:", KONTOR_MAIL_REPLY_MODE_REPLY, "Re:" },
    { "", KONTOR_MAIL_REPLY_MODE_REPLY, "Re:" },
    { NULL, KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE, "Fwd:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *subject = kontor_mail_reply_dup_subject (cases[i].subject, cases[i].mode);

      g_assert_cmpstr (subject, ==, cases[i].expected);
    }
}

static void
test_quote (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "Hello\n> earlier\n>> older\n\nThanks\n-- \nJohn\nExample Corp\n",
      "> Hello\n>> earlier\n>>> older\n>\n> Thanks\n" },
    { "\n\nHi\n\n\n", "> Hi\n" },
    { "a\r\nb\r\n-- \r\nsig\r\n", "> a\n> b\n" },
    /* Only "-- " starts a signature, not a quoted one nor "--". */
    { "a\n> -- \n> quoted sig\n--\nb", "> a\n>> -- \n>> quoted sig\n> --\n> b\n" },
    { "-- \nonly a signature", "" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quote = kontor_mail_reply_quote (cases[i].text);

      g_assert_cmpstr (quote, ==, cases[i].expected);
    }
}

/* Recipients */

/* An HTML-only message with a Reply-To: the reply goes there, quoting the HTML's text. */
static void
test_reply_to_html_only (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) draft =
    draft_for_file ("rbmail-8bit-in-7bit-enron.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_auto (GStrv) lines = g_strsplit (draft->body, "\n", -1);

  ASSERT_LIST (draft->to, "announcements@provantage.com");
  ASSERT_EMPTY (draft->cc);
  ASSERT_EMPTY (draft->bcc);
  ASSERT_EMPTY (draft->attachments);
  g_assert_cmpint (draft->identity, ==, 0);
  g_assert_cmpstr (draft->from, ==, "Me Myself <me@example.com>");
  g_assert_cmpstr (draft->subject, ==, "Re: The Original Advantage #e13011");
  g_assert_false (draft->no_list_found);

  /* Date: Tue, 04 Dec 2001 17:11:25 -0459, shown in UTC. */
  g_assert_cmpstr (lines[0], ==,
                   "On Tue, 4 Dec 2001 at 22:10, announcements@provantage.com wrote:");
  g_assert_cmpstr (lines[1], ==, "> December 04, 2001");
  g_assert_cmpstr (lines[2], ==, ">");
  g_assert_cmpstr (lines[3], ==,
                   "> Can't read this email? Click here "
                   "<http://www.provantage.com/scripts/go.dll/e13011_RD/e13011>");
  g_assert_cmpstr (lines[4], ==, "> Issue#: e13011");
  for (guint i = 1; lines[i + 1] != NULL; i++)
    g_assert_true (lines[i][0] == '>');
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
  g_assert_null (strstr (draft->body, "<td"));
  g_assert_null (strstr (draft->body, "&nbsp;"));
}

/* Reply-To: "KLAUS- HÄNSCHEL" <> has no address to reply to: From is used. */
static void
test_reply_to_without_address (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) draft =
    draft_for_file ("rbmail-encoding-madness.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);

  ASSERT_LIST (draft->to, "no-reply@crm.el-example.org");
  ASSERT_EMPTY (draft->cc);
}

static void
test_reply_all_to_cc (void)
{
  static const KontorMailIdentity identities[] = {
    ME,
    { "mueller@example.com", "Heinz Müller", NULL },
  };
  g_autoptr (KontorMailDraft) reply = draft_for_file ("tb-nested-messages-unusual-multipart.eml",
                                                      identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) all = draft_for_file (
    "tb-nested-messages-unusual-multipart.eml", identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);

  ASSERT_LIST (reply->to, "Batman <bruce@wayne-enterprises.com>");
  ASSERT_EMPTY (reply->cc);

  /* To: Heinz <mueller@example.com> (the user), Cc: Robin. */
  ASSERT_LIST (all->to, "Batman <bruce@wayne-enterprises.com>");
  ASSERT_LIST (all->cc, "Robin <damian@wayne-enterprises.com>");
  g_assert_cmpint (all->identity, ==, 1);
  g_assert_cmpstr (all->from, ==, "Heinz Müller <mueller@example.com>");
}

/* Three To: headers, a trailing comma, and the user known by an alias. */
static void
test_reply_all_repeated_to (void)
{
  static const char *const aliases[] = { "BIAKUS@krw.rzd", NULL };
  static const KontorMailIdentity identities[] = {
    ME,
    { "ra.biakus@example.net", "R. A. Biakus", aliases },
  };
  g_autoptr (KontorMailDraft) draft = draft_for_file ("tb-mailformed-recipients.eml", identities, 2,
                                                      KONTOR_MAIL_REPLY_MODE_REPLY_ALL);

  ASSERT_LIST (draft->to, "notifier.mars@krw.rzd");
  ASSERT_LIST (draft->cc, "second.to.field@invalid", "more@recipients.invalid",
               "third.to.field@invalid", "even.more@recipients.invalid", "LyukshinRA@krw.rzd");
  g_assert_cmpint (draft->identity, ==, 1);
  /* Sent to the alias: answered from the alias, with the identity's name. */
  g_assert_cmpstr (draft->from, ==, "\"R. A. Biakus\" <BIAKUS@krw.rzd>");
}

static void
test_reply_all_dedup (void)
{
  g_autoptr (KontorMailDraft) draft = draft_for_string (
    "From: Ann <ann@example.com>\n"
    "To: me@example.com, Bob <BOB@example.com>, \"Ann\" <ANN@Example.com>\n"
    "Cc: bob@example.com, \"Carol, Finance\" <carol@example.com>, ME.ALIAS@example.org\n"
    "Subject: Budget\n"
    "Message-ID: <budget-1@example.com>\n"
    "\n"
    "Numbers attached.\n",
    KONTOR_MAIL_REPLY_MODE_REPLY_ALL);

  ASSERT_LIST (draft->to, "Ann <ann@example.com>");
  ASSERT_LIST (draft->cc, "Bob <BOB@example.com>", "\"Carol, Finance\" <carol@example.com>");
  g_assert_cmpstr (draft->body, ==, "Ann wrote:\n> Numbers attached.\n");
}

/* A message sent to an alias with a name of its own is answered from that alias and
 * name; the main address is not a recipient, and no address of the user's is. */
static void
test_reply_alias_identity (void)
{
  static const char *const work_aliases[] = { "Sales Desk <sales@example.com>", "help@example.com",
                                              NULL };
  static const KontorMailIdentity identities[] = {
    ME,
    { "ada@example.com", "Ada Lovelace", work_aliases },
  };
  g_autoptr (CamelMimeMessage) message =
    message_from_string ("From: Bob <bob@example.net>\n"
                         "To: \"Sales\" <SALES@example.com>, carol@example.net\n"
                         "Cc: help@example.com\n"
                         "Subject: Quote\n"
                         "Message-ID: <quote-1@example.net>\n"
                         "\n"
                         "How much?\n");
  g_autoptr (KontorMailDraft) reply =
    kontor_mail_reply_new_draft (message, identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);
  g_autoptr (CamelMimeMessage) to_plain = message_from_string ("From: Bob <bob@example.net>\n"
                                                               "To: help@example.com\n"
                                                               "Subject: Help\n"
                                                               "\n"
                                                               "Help!\n");
  g_autoptr (KontorMailDraft) plain =
    kontor_mail_reply_new_draft (to_plain, identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (CamelMimeMessage) to_main =
    message_from_string ("From: Bob <bob@example.net>\n"
                         "To: help@example.com, Ada <ada@example.com>\n"
                         "Subject: Both\n"
                         "\n"
                         "Hi\n");
  g_autoptr (KontorMailDraft) main_draft =
    kontor_mail_reply_new_draft (to_main, identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY);

  g_assert_cmpint (reply->identity, ==, 1);
  g_assert_cmpstr (reply->from, ==, "Sales Desk <sales@example.com>");
  ASSERT_LIST (reply->to, "Bob <bob@example.net>");
  ASSERT_LIST (reply->cc, "carol@example.net");
  /* An alias without a name goes with the identity's name. */
  g_assert_cmpint (plain->identity, ==, 1);
  g_assert_cmpstr (plain->from, ==, "Ada Lovelace <help@example.com>");
  /* The main address is not preferred over an alias named earlier. */
  g_assert_cmpstr (main_draft->from, ==, "Ada Lovelace <help@example.com>");
}

/* An RFC 2047 name in To for the sender's own address, in ISO-2022-JP mail. */
static void
test_reply_all_encoded_name (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) draft = draft_for_file ("rbmail-japanese-iso-2022.eml", identities, 1,
                                                      KONTOR_MAIL_REPLY_MODE_REPLY_ALL);

  ASSERT_LIST (draft->to, "Mikel Lindsaar <raasdnil@gmail.com>");
  ASSERT_EMPTY (draft->cc);
  g_assert_cmpstr (draft->subject, ==, "Re: まみむめも");
  g_assert_cmpstr (draft->body, ==, "Mikel Lindsaar wrote:\n> すみません。\n");
}

/* A reply to what the user sent goes to whom they sent it. */
static void
test_own_message (void)
{
  static const KontorMailIdentity identities[] = {
    ME,
    { "test@example.com", NULL, NULL },
  };
  g_autoptr (KontorMailDraft) reply = draft_for_file ("rbmail-rfc822-with-inline-image.eml",
                                                      identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) all = draft_for_file (
    "rbmail-rfc822-with-inline-image.eml", identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);
  g_autoptr (KontorMailDraft) to_self = draft_for_string ("From: Me Myself <me@example.com>\n"
                                                          "To: me@example.com\n"
                                                          "Cc: Bob <bob@example.com>\n"
                                                          "Subject: Note\n"
                                                          "\n"
                                                          "Remember.\n",
                                                          KONTOR_MAIL_REPLY_MODE_REPLY_ALL);

  ASSERT_LIST (reply->to, "foo@example.com");
  ASSERT_EMPTY (reply->cc);
  g_assert_cmpint (reply->identity, ==, 1);
  g_assert_cmpstr (reply->from, ==, "test@example.com");
  ASSERT_LIST (all->to, "foo@example.com");
  ASSERT_EMPTY (all->cc);

  ASSERT_LIST (to_self->to, "Bob <bob@example.com>");
  ASSERT_EMPTY (to_self->cc);
}

/* Identity */

static void
test_identity (void)
{
  static const char *const aliases[] = { "e-s-a-g-8718@app.ar.com", NULL };
  static const KontorMailIdentity by_cc[] = {
    ME,
    { "damian@wayne-enterprises.com", "Damian", NULL },
    { "mueller@example.com", NULL, NULL },
  };
  static const KontorMailIdentity by_delivery[] = {
    ME,
    { "sales@example.com", "Sales", aliases },
  };
  static const KontorMailIdentity none[] = { ME, { "other@example.com", NULL, NULL } };
  g_autoptr (KontorMailDraft) cc_only = draft_for_file ("tb-nested-messages-unusual-multipart.eml",
                                                        by_cc + 1, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) to_first = draft_for_file (
    "tb-nested-messages-unusual-multipart.eml", by_cc, 3, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);
  g_autoptr (KontorMailDraft) delivered = draft_for_file (
    "rbmail-new-line-in-to-header.eml", by_delivery, 2, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);
  g_autoptr (KontorMailDraft) fallback =
    draft_for_file ("rbmail-illegal-boundary.eml", none, 2, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) no_identity =
    draft_for_file ("rbmail-illegal-boundary.eml", NULL, 0, KONTOR_MAIL_REPLY_MODE_REPLY);

  g_assert_cmpint (cc_only->identity, ==, 0);
  g_assert_cmpstr (cc_only->from, ==, "Damian <damian@wayne-enterprises.com>");
  /* To before Cc, whatever the order of the identities. */
  g_assert_cmpint (to_first->identity, ==, 2);
  g_assert_cmpstr (to_first->from, ==, "mueller@example.com");
  /* Robin in Cc is the user too: nobody else to answer. */
  ASSERT_LIST (to_first->to, "Batman <bruce@wayne-enterprises.com>");
  ASSERT_EMPTY (to_first->cc);

  /* Delivered-To names the alias, which answers; reply-all leaves it out of the To list. */
  g_assert_cmpint (delivered->identity, ==, 1);
  g_assert_cmpstr (delivered->from, ==, "Sales <e-s-a-g-8718@app.ar.com>");
  ASSERT_LIST (delivered->to, "l@gcn-example.com");
  ASSERT_LIST (delivered->cc, "leads@sg.dc.com", "sag@leads.gs.ry.com", "sn@example-hotmail.com",
               "jp@t-exmaple.com", "cc@c-l-example.com");

  /* Nothing in rbmail-illegal-boundary.eml names an identity: the default. */
  g_assert_cmpint (fallback->identity, ==, 0);
  g_assert_cmpstr (fallback->from, ==, "Me Myself <me@example.com>");
  g_assert_cmpint (no_identity->identity, ==, -1);
  g_assert_null (no_identity->from);
  ASSERT_LIST (no_identity->to, "Mikel Lindsaar <email_test@me.nowhere>");
}

static void
test_identity_original_to (void)
{
  static const KontorMailIdentity identities[] = {
    ME,
    { "lists@example.net", "Lists", NULL },
  };
  g_autoptr (CamelMimeMessage) message =
    message_from_string ("X-Original-To: lists@example.net\n"
                         "Delivered-To: someone-else@example.net\n"
                         "From: Dev List <dev@lists.example.org>\n"
                         "To: dev@lists.example.org\n"
                         "Subject: Release\n"
                         "\n"
                         "Out now.\n");
  g_autoptr (KontorMailDraft) draft =
    kontor_mail_reply_new_draft (message, identities, 2, KONTOR_MAIL_REPLY_MODE_REPLY);

  g_assert_cmpint (draft->identity, ==, 1);
  g_assert_cmpstr (draft->from, ==, "Lists <lists@example.net>");
}

/* Mailing lists */

#define LIST_MESSAGE(list_post)                                                         \
  "From: Ann <ann@example.com>\n"                                                       \
  "To: Developers <dev@lists.example.org>\n"                                            \
  "Reply-To: Ann at home <ann@home.example>\n" list_post "Subject: [dev] Re: Release\n" \
  "Message-ID: <release-2@example.com>\n"                                               \
  "\n"                                                                                  \
  "Ship it.\n"

static void
test_reply_list (void)
{
  g_autoptr (KontorMailDraft) simple =
    draft_for_string (LIST_MESSAGE ("List-Post: <mailto:dev@lists.example.org>\n"),
                      KONTOR_MAIL_REPLY_MODE_REPLY_LIST);
  g_autoptr (KontorMailDraft) several = draft_for_string (
    LIST_MESSAGE ("List-Post: <https://lists.example.org/post>,\n"
                  " (Posting by mail) <mailto:dev%2Dteam@lists.example.org?subject=post>\n"),
    KONTOR_MAIL_REPLY_MODE_REPLY_LIST);
  g_autoptr (KontorMailDraft) closed =
    draft_for_string (LIST_MESSAGE ("List-Post: NO (posting not allowed on this list)\n"),
                      KONTOR_MAIL_REPLY_MODE_REPLY_LIST);
  g_autoptr (KontorMailDraft) plain = draft_for_string (
    LIST_MESSAGE ("List-Post: <mailto:dev@lists.example.org>\n"), KONTOR_MAIL_REPLY_MODE_REPLY);
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) corpus = draft_for_file ("rbmail-8bit-in-7bit-enron.eml", identities,
                                                       1, KONTOR_MAIL_REPLY_MODE_REPLY_LIST);

  ASSERT_LIST (simple->to, "dev@lists.example.org");
  ASSERT_EMPTY (simple->cc);
  g_assert_false (simple->no_list_found);
  g_assert_cmpstr (simple->subject, ==, "Re: [dev] Re: Release");
  g_assert_cmpstr (simple->in_reply_to, ==, "<release-2@example.com>");

  ASSERT_LIST (several->to, "dev-team@lists.example.org");
  g_assert_false (several->no_list_found);

  ASSERT_LIST (closed->to, "Ann at home <ann@home.example>");
  g_assert_true (closed->no_list_found);

  /* A plain reply to a list message goes to the sender's Reply-To. */
  ASSERT_LIST (plain->to, "Ann at home <ann@home.example>");
  g_assert_false (plain->no_list_found);

  ASSERT_LIST (corpus->to, "announcements@provantage.com");
  g_assert_true (corpus->no_list_found);
}

/* Threading */

static void
test_threading (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) jp = draft_for_file ("rbmail-rfc2231-iso-2022-jp-name.eml",
                                                   identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) uuencode =
    draft_for_file ("rbmail-x-uuencode.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY_ALL);
  g_autoptr (KontorMailDraft) broken =
    draft_for_file ("rbmail-bad-date-header.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) in_reply_to_only =
    draft_for_string ("From: ann@example.com\n"
                      "Subject: Re: Plan\n"
                      "Message-ID: <b@example.com>\n"
                      "In-Reply-To: <a@example.com> (Bob's message of Monday)\n"
                      "\n"
                      "Yes.\n",
                      KONTOR_MAIL_REPLY_MODE_REPLY);

  g_assert_cmpstr (jp->subject, ==, "Re: Fwd: Signed email causes file attachments");
  g_assert_cmpstr (jp->in_reply_to, ==, "<e85734b90505081209eaaa17b@mail.gmail.com>");
  g_assert_cmpstr (jp->references, ==,
                   "<F6E2D0B4-CC35-4A91-BA4C-C7C712B10C13@mac.com> "
                   "<e85734b90505081209eaaa17b@mail.gmail.com>");
  ASSERT_LIST (jp->to, "xxxxxxxxx xxxxxxx <xxxxxxxxx.xxxxxxx@gmail.com>");

  g_assert_cmpstr (uuencode->in_reply_to, ==, "<p05100307b863befdfb67@[207.202.136.216]>");
  g_assert_cmpstr (uuencode->references, ==,
                   "<1168BAF252B7D41194810001028D743108913C@SERVER> "
                   "<p05100307b863befdfb67@[207.202.136.216]>");
  ASSERT_LIST (uuencode->to, "\"Lon L. Peters\" <lpeters@PACIFIER.COM>");
  ASSERT_LIST (uuencode->cc, "RRGA-L@LIST.RTOWEST.ORG");

  /* "In-Reply-To: someone@yahoo.com" is an address, and there is no Message-ID. */
  g_assert_null (broken->in_reply_to);
  g_assert_null (broken->references);

  g_assert_cmpstr (in_reply_to_only->in_reply_to, ==, "<b@example.com>");
  g_assert_cmpstr (in_reply_to_only->references, ==, "<a@example.com> <b@example.com>");
}

/* A chain of 30 keeps its first id and the 19 latest, the answered message's last. */
static void
test_threading_long (void)
{
  g_autoptr (GString) source = g_string_new ("From: ann@example.com\nReferences:");
  g_autoptr (GString) expected = g_string_new ("<id-1@example.com>");
  g_autoptr (KontorMailDraft) draft = NULL;

  for (guint i = 1; i <= 30; i++)
    g_string_append_printf (source, "\n <id-%u@example.com>", i);
  g_string_append (source, "\nMessage-ID: <id-31@example.com>\nSubject: Re: x\n\nx\n");
  for (guint i = 13; i <= 31; i++)
    g_string_append_printf (expected, " <id-%u@example.com>", i);

  draft = draft_for_string (source->str, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_assert_cmpstr (draft->in_reply_to, ==, "<id-31@example.com>");
  g_assert_cmpstr (draft->references, ==, expected->str);
}

/* Bodies */

static void
test_attribution (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (KontorMailDraft) dated = draft_for_file ("rbmail-rfc822-with-inline-image.eml",
                                                      identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) greek =
    draft_for_file ("tb-11-plaintext-greek.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) undated =
    draft_for_file ("rbmail-utf8-headers-rfc6532.eml", identities, 1, KONTOR_MAIL_REPLY_MODE_REPLY);
  g_autoptr (KontorMailDraft) signature =
    draft_for_string ("From: \"Peters, Lon\" <lon@example.com>\n"
                      "Date: Thu, 10 Jan 2002 13:59:53 -0800\n"
                      "Subject: Comments\n"
                      "\n"
                      "See below.\n"
                      "> Will you comment?\n"
                      "\n"
                      "-- \n"
                      "Lon Peters\n"
                      "Northwest Economic Research\n",
                      KONTOR_MAIL_REPLY_MODE_REPLY);

  /* Date: Tue, 21 Apr 2020 15:40:22 +0200, in UTC. */
  g_assert_true (g_str_has_prefix (dated->body, "On Tue, 21 Apr 2020 at 13:40, test@example.com "
                                                "wrote:\n> -------- Attached message --------\n"));
  g_assert_cmpstr (greek->body, ==,
                   "On Sat, 30 Dec 2017 at 18:15, test@example.com wrote:\n"
                   "> Search for Greek text Καλησπέρα\n");
  g_assert_cmpstr (undated->body, ==, "Jöhn Doe wrote:\n> body\n");
  ASSERT_LIST (undated->to, "Jöhn Doe <jdöe@mächine.example>");
  g_assert_cmpstr (undated->subject, ==, "Re: Säying Hello");
  g_assert_cmpstr (signature->body, ==,
                   "On Thu, 10 Jan 2002 at 21:59, Peters, Lon wrote:\n"
                   "> See below.\n"
                   ">> Will you comment?\n");
  ASSERT_LIST (signature->to, "\"Peters, Lon\" <lon@example.com>");
}

/* Forwards */

static void
assert_attachment (KontorMailDraft *draft, guint index, const char *mime_type, const char *name)
{
  CamelMimePart *part;
  g_autofree char *type = NULL;

  g_assert_cmpuint (index, <, draft->attachments->len);
  part = g_ptr_array_index (draft->attachments, index);
  g_assert_true (CAMEL_IS_MIME_PART (part));
  type = camel_data_wrapper_get_mime_type (CAMEL_DATA_WRAPPER (part));
  g_assert_cmpstr (type, ==, mime_type);
  g_assert_cmpstr (camel_mime_part_get_filename (part), ==, name);
}

static void
test_forward_inline (void)
{
  static const KontorMailIdentity identities[] = { ME, { "mueller@example.com", "Heinz", NULL } };
  g_autoptr (KontorMailDraft) draft =
    draft_for_file ("tb-nested-messages-unusual-multipart.eml", identities, 2,
                    KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE);
  g_autoptr (KontorMailDraft) related =
    draft_for_file ("tb-10-plaintext+(HTML+embedded-image)+attachment.eml", identities, 1,
                    KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE);

  ASSERT_EMPTY (draft->to);
  ASSERT_EMPTY (draft->cc);
  g_assert_null (draft->in_reply_to);
  g_assert_null (draft->references);
  g_assert_cmpint (draft->identity, ==, 1);
  g_assert_cmpstr (draft->subject, ==,
                   "Fwd: Attached message with attachments and unusual multiparts");
  g_assert_true (g_str_has_prefix (draft->body,
                                   "-------- Forwarded Message --------\n"
                                   "Subject: Attached message with attachments and unusual "
                                   "multiparts\n"
                                   "Date: Sat, 20 May 2000 at 04:29\n"
                                   "From: Batman <bruce@wayne-enterprises.com>\n"
                                   "To: Heinz <mueller@example.com>\n"
                                   "Cc: Robin <damian@wayne-enterprises.com>\n"
                                   "\n"
                                   "This message has one normal attachment and one email "
                                   "attachment, which itself has 3 attachments.\n"));
  g_assert_true (g_str_has_suffix (draft->body, "\n"));
  g_assert_false (g_str_has_prefix (draft->body, ">"));

  /* The attached message carries its own attachments: they are not added again. */
  g_assert_cmpuint (draft->attachments->len, ==, 2);
  assert_attachment (draft, 0, "message/rfc822", "message1.eml");
  assert_attachment (draft, 1, "image/png", "yellowPixel.png");

  /* The text is forwarded, so the image the HTML showed travels as an attachment. */
  g_assert_cmpuint (related->attachments->len, ==, 2);
  assert_attachment (related, 0, "image/png", "kigaaldcbanejcbi.png");
  assert_attachment (related, 1, "image/png", "attach2.png");
}

static void
test_forward_attachment (void)
{
  static const KontorMailIdentity identities[] = { ME };
  g_autoptr (CamelMimeMessage) message = load_message ("rbmail-rfc2231-iso-2022-jp-name.eml");
  g_autoptr (KontorMailDraft) draft =
    kontor_mail_reply_new_draft (message, identities, 1, KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT);
  g_autoptr (CamelStream) stream = camel_stream_mem_new ();
  g_autofree char *source = NULL;
  GByteArray *bytes;
  CamelMimePart *part;

  ASSERT_EMPTY (draft->to);
  g_assert_cmpstr (draft->subject, ==, "Fwd: Signed email causes file attachments");
  g_assert_cmpstr (draft->body, ==, "");
  g_assert_null (draft->in_reply_to);
  g_assert_cmpuint (draft->attachments->len, ==, 1);
  assert_attachment (draft, 0, "message/rfc822", "Fwd: Signed email causes file attachments.eml");

  part = g_ptr_array_index (draft->attachments, 0);
  g_assert_true (camel_medium_get_content (CAMEL_MEDIUM (part)) == CAMEL_DATA_WRAPPER (message));
  g_assert_cmpstr (camel_mime_part_get_disposition (part), ==, "attachment");

  /* Written out, the part holds the original message whole, headers first. */
  camel_data_wrapper_write_to_stream_sync (CAMEL_DATA_WRAPPER (part), stream, NULL, NULL);
  bytes = camel_stream_mem_get_byte_array (CAMEL_STREAM_MEM (stream));
  source = g_strndup ((const char *) bytes->data, bytes->len);
  g_assert_true (g_str_has_prefix (source, "Content-Disposition: attachment; filename=\"Fwd: "
                                           "Signed email causes file attachments.eml\"\n"
                                           "Content-Type: message/rfc822;"));
  g_assert_nonnull (strstr (source, "\nReturn-Path: <xxxxxxxxx.xxxxxxx@gmail.com>\n"
                                    "Message-ID: <e85734b90505081209eaaa17b@mail.gmail.com>\n"));
  g_assert_nonnull (strstr (source, "In-Reply-To: <F6E2D0B4-CC35-4A91-BA4C-C7C712B10C13@mac.com>"));
  /* The message itself is not turned into message/rfc822. */
  g_assert_true (g_str_has_prefix (camel_data_wrapper_get_mime_type (CAMEL_DATA_WRAPPER (message)),
                                   "multipart/mixed"));
}

int
main (int argc, char *argv[])
{
  /* Dates are shown in the local time zone: a fixed one makes them exact. */
  g_setenv ("TZ", "UTC", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_fatal_mask ("kontor-mail",
                        G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  data_dir = g_getenv ("KONTOR_MAIL_TEST_DATA");
  if (data_dir == NULL)
    data_dir = g_test_get_filename (G_TEST_DIST, "..", "..", "data", "mail", NULL);

  g_test_add_func ("/kontor/mail-reply/subject", test_subject);
  g_test_add_func ("/kontor/mail-reply/quote", test_quote);
  g_test_add_func ("/kontor/mail-reply/recipients/reply-to-html-only", test_reply_to_html_only);
  g_test_add_func ("/kontor/mail-reply/recipients/reply-to-without-address",
                   test_reply_to_without_address);
  g_test_add_func ("/kontor/mail-reply/recipients/all-to-cc", test_reply_all_to_cc);
  g_test_add_func ("/kontor/mail-reply/identity/alias", test_reply_alias_identity);
  g_test_add_func ("/kontor/mail-reply/recipients/all-repeated-to", test_reply_all_repeated_to);
  g_test_add_func ("/kontor/mail-reply/recipients/all-dedup", test_reply_all_dedup);
  g_test_add_func ("/kontor/mail-reply/recipients/all-encoded-name", test_reply_all_encoded_name);
  g_test_add_func ("/kontor/mail-reply/recipients/own-message", test_own_message);
  g_test_add_func ("/kontor/mail-reply/recipients/list", test_reply_list);
  g_test_add_func ("/kontor/mail-reply/identity/received", test_identity);
  g_test_add_func ("/kontor/mail-reply/identity/original-to", test_identity_original_to);
  g_test_add_func ("/kontor/mail-reply/threading/references", test_threading);
  g_test_add_func ("/kontor/mail-reply/threading/long", test_threading_long);
  g_test_add_func ("/kontor/mail-reply/body/attribution", test_attribution);
  g_test_add_func ("/kontor/mail-reply/forward/inline", test_forward_inline);
  g_test_add_func ("/kontor/mail-reply/forward/attachment", test_forward_attachment);

  return g_test_run ();
}
