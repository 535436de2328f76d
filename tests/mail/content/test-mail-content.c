/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-content.c: the mail reader's content against real-world messages: charsets,
 * structure, attachments, the reader document and its remote-content policy. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kontor-mail-content.h"
#include "kontor-mail-html.h"

static const char *data_dir;

/* Helpers */

static char *
data_path (const char *name)
{
  return g_build_filename (data_dir, name, NULL);
}

static KontorMailContent *
load_content (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelMimeMessage) message = kontor_mail_message_from_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return kontor_mail_content_new (message);
}

static KontorMailContent *
content_from_string (const char *source)
{
  g_autoptr (GBytes) bytes = g_bytes_new (source, strlen (source));
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelMimeMessage) message = kontor_mail_message_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return kontor_mail_content_new (message);
}

static KontorMailAttachment *
find_attachment (KontorMailContent *content, const char *name)
{
  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);

      if (g_strcmp0 (attachment->name, name) == 0)
        return attachment;
    }
  return NULL;
}

static void
assert_valid_or_null (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* What must hold for any message: readable, valid UTF-8 everywhere, attachments with
 * safe names whose decoded size is what saving writes, a document under the policy. */
static void
assert_content_sane (KontorMailContent *content)
{
  g_assert_nonnull (content->text);
  g_assert_true (g_utf8_validate (content->text, -1, NULL));
  assert_valid_or_null (content->subject);
  assert_valid_or_null (content->from);
  assert_valid_or_null (content->to);
  assert_valid_or_null (content->cc);
  assert_valid_or_null (content->reply_to);
  assert_valid_or_null (content->message_id);
  assert_valid_or_null (content->html);
  assert_valid_or_null (content->problem);
  g_assert_true (content->is_partial_or_broken == (content->problem != NULL));

  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_nonnull (attachment->name);
      g_assert_true (g_utf8_validate (attachment->name, -1, NULL));
      g_assert_null (strchr (attachment->name, '/'));
      g_assert_cmpstr (attachment->name, !=, "..");
      g_assert_nonnull (strchr (attachment->mime_type, '/'));
      g_assert_true (CAMEL_IS_MIME_PART (attachment->part));

      bytes = kontor_mail_part_dup_bytes (attachment->part, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, attachment->size);

      if (attachment->content_id != NULL)
        g_assert_nonnull (kontor_mail_content_find_cid (content, attachment->content_id));
    }

  for (int allow = 0; allow <= 1; allow++)
    {
      g_autofree char *document = kontor_mail_content_build_document (content, allow);
      const char *head;

      g_assert_true (g_utf8_validate (document, -1, NULL));
      head = strstr (document, "<head>");
      g_assert_nonnull (head);
      g_assert_true (g_str_has_prefix (head + 6, "<meta http-equiv=\"Content-Security-Policy\""));
    }
  (void) kontor_mail_content_has_remote_content (content);
}

/* Every corpus file */

static GPtrArray *
parse_mbox (const char *path)
{
  g_autoptr (CamelMimeParser) parser = camel_mime_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  camel_mime_parser_init_with_bytes (parser, bytes);
  camel_mime_parser_scan_from (parser, TRUE);

  while (camel_mime_parser_step (parser, NULL, NULL) == CAMEL_MIME_PARSER_STATE_FROM)
    {
      CamelMimeMessage *message = camel_mime_message_new ();

      g_assert_true (camel_mime_part_construct_from_parser_sync (CAMEL_MIME_PART (message), parser,
                                                                 NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (messages, message);
      camel_mime_parser_step (parser, NULL, NULL);
    }

  return messages;
}

static const struct
{
  const char *file;
  const char *subjects[4];
} mbox_subjects[] = {
  { "gmime-substring.mbox",
    { "this'll probably break a lot of mime parsers",
      "this'll probably break even more mime parsers",
      "if a mime parser can correctly handle this, I'm impressed" } },
  { "py-mailbox_01.mbox", { "unquoted From in body; extra info on From line" } },
  { "tb-mbox_mboxrd.mbox", { "Sample message 1", "Sample message 2" } },
  { "tb-mbox_modern.mbox", { "Sample message 1", "Sample message 2" } },
  { "tb-mbox_unquoted.mbox", { "Sample message 1", NULL, "Sample message 2" } },
};

static void
test_corpus_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = data_path (name);

  if (g_str_has_suffix (name, ".mbox"))
    {
      g_autoptr (GPtrArray) messages = parse_mbox (path);

      g_assert_cmpuint (messages->len, >, 0);
      for (guint i = 0; i < messages->len; i++)
        {
          g_autoptr (KontorMailContent) content =
            kontor_mail_content_new (g_ptr_array_index (messages, i));

          assert_content_sane (content);
          for (guint j = 0; j < G_N_ELEMENTS (mbox_subjects); j++)
            if (strcmp (mbox_subjects[j].file, name) == 0 && i < 4)
              g_assert_cmpstr (content->subject, ==, mbox_subjects[j].subjects[i]);
        }
    }
  else
    {
      g_autoptr (KontorMailContent) content = load_content (name);

      assert_content_sane (content);
    }
}

static void
test_corpus_present (void)
{
  g_autoptr (GDir) dir = g_dir_open (data_dir, 0, NULL);
  guint n = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".mbox");
  g_assert_cmpuint (n, >=, 100);
}

/* Decoded characters */

typedef enum
{
  FIELD_SUBJECT,
  FIELD_FROM,
  FIELD_TO,
  FIELD_REPLY_TO,
  FIELD_TEXT,
  FIELD_ATTACHMENT,
} Field;

typedef struct
{
  const char *file;
  Field field;
  const char *expected;
} Expectation;

static const Expectation expectations[] = {
  { "rbmail-japanese-iso-2022.eml", FIELD_SUBJECT, "まみむめも" },
  { "rbmail-japanese-iso-2022.eml", FIELD_TO, "みける <raasdnil@gmail.com>" },
  { "rbmail-japanese-iso-2022.eml", FIELD_TEXT, "すみません。" },
  { "rbmail-japanese-shift-jis.eml", FIELD_TEXT, "このメールはテスト用のメールです。" },
  { "rbmail-japanese-attachment-long-name.eml", FIELD_ATTACHMENT,
    "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt" },
  { "rbmail-japanese-attachment-long-name.eml", FIELD_SUBJECT, "まみむめもまみむめも" },
  { "tb-11-plaintext-greek.eml", FIELD_TEXT, "Search for Greek text Καλησπέρα" },
  { "rbmail-ks_c_5601-1987.eml", FIELD_TEXT, "스티해" },
  { "rbmail-partially-quoted-subject-euc-kr.eml", FIELD_SUBJECT,
    "Re: Test: \"漢字\" mid \"漢字\" tail" },
  { "rbmail-partially-quoted-subject-euc-kr.eml", FIELD_TEXT, "우리는 하나님을 믿습니다." },
  { "tb-charset-cp932.eml", FIELD_SUBJECT, "ここに本文がきます。" },
  { "tb-charset-cp932.eml", FIELD_TEXT, "ここに本文がきます。" },
  { "tb-iso-2022-jp-qp.eml", FIELD_TEXT, "日本語の本文がQuoted Printableになっているもの" },
  { "tb-iso-2022-jp-not-qp.eml", FIELD_TEXT, "現況" },
  { "tb-wronglyDeclaredShift_JIS.eml", FIELD_TEXT, "メールを簡単に。" },
  { "tb-wronglyDeclaredUTF8.eml", FIELD_TEXT, "メールを簡単に。" },
  { "tb-noCharsetKOI8U.eml", FIELD_TEXT, "Моя семья" },
  { "tb-noCharsetKOI8U.eml", FIELD_TEXT, "У меня большая семья" },
  { "tb-noCharsetWindows1252.eml", FIELD_TEXT, "Aquí tenemos texto en español" },
  { "tb-defective-charset.eml", FIELD_TEXT, "En estos últimos meses" },
  { "tb-bad-charset.eml", FIELD_TEXT, "Mätterhorn" },
  { "tb-body-utf16.eml", FIELD_TEXT, "Hi Magnus, here a better UTF-16 encoded mail." },
  { "tb-body-utf16.eml", FIELD_SUBJECT, "test reply to UTF-16 encoded message" },
  { "tb-body-utf16.eml", FIELD_FROM, "test <test@example.com>" },
  { "tb-untyped-text-with-cte-and-charset.eml", FIELD_TEXT, "Liebe Grüße aus Österreich" },
  { "tb-pgp-inline-signed-latin1.eml", FIELD_TEXT, "àèìòù" },
  { "tb-mime-encoded-subject.eml", FIELD_SUBJECT, "∀a∊A" },
  { "tb-mailformed-subject-yahoo.eml", FIELD_SUBJECT, "Rechnung Anwältin" },
  { "tb-mailformed-subject-yahoo.eml", FIELD_TEXT, "Kuß!" },
  { "rbmail-utf8-headers-rfc6532.eml", FIELD_FROM, "Jöhn Doe <jdöe@mächine.example>" },
  { "rbmail-utf8-headers-rfc6532.eml", FIELD_SUBJECT, "Säying Hello" },
  { "rbmail-encoding-madness.eml", FIELD_REPLY_TO, "KLAUS- HÄNSCHEL" },
  { "rbmail-bad-encoded-subject.eml", FIELD_SUBJECT, "TEST" },
  { "rbmail-nonascii-filename.eml", FIELD_ATTACHMENT, "ciële.txt" },
  { "tb-mailformed-recipients.eml", FIELD_TO, "second.to.field@invalid" },
  { "tb-mailformed-recipients.eml", FIELD_TO, "third.to.field@invalid" },
  { "tb-mailformed-recipients.eml", FIELD_TO, "LyukshinRA@krw.rzd" },
  { "rbmail-empty-group-list.eml", FIELD_TO, "undisclosed recipients" },
  { "tb-qp-trailing-equals-plain.eml", FIELD_TEXT, "The needle qptrailingplain sits" },
  { "tb-base64-with-whitespace.eml", FIELD_TEXT, "abcdefghijklmnopqrstuvwxyz" },
};

static void
test_decoded (gconstpointer data)
{
  const Expectation *expectation = data;
  g_autoptr (KontorMailContent) content = load_content (expectation->file);
  const char *value = NULL;

  switch (expectation->field)
    {
      case FIELD_SUBJECT:
        value = content->subject;
        break;
      case FIELD_FROM:
        value = content->from;
        break;
      case FIELD_TO:
        value = content->to;
        break;
      case FIELD_REPLY_TO:
        value = content->reply_to;
        break;
      case FIELD_TEXT:
        value = content->text;
        break;
      case FIELD_ATTACHMENT:
        g_assert_nonnull (find_attachment (content, expectation->expected));
        return;
    }

  g_assert_nonnull (value);
  if (strstr (value, expectation->expected) == NULL)
    g_error ("“%s” not found in “%s”", expectation->expected, value);
}

static void
test_rfc2231_undecodable (void)
{
  g_autoptr (KontorMailContent) content = load_content ("rbmail-rfc2231-iso-2022-jp-name.eml");
  KontorMailAttachment *attachment;

  /* name*= whose bytes are not ISO-2022-JP: still a readable name, not the raw value. */
  g_assert_cmpuint (content->attachments->len, ==, 1);
  attachment = g_ptr_array_index (content->attachments, 0);
  g_assert_true (g_str_has_prefix (attachment->name, "01 Quien Te Dij"));
  g_assert_true (g_str_has_suffix (attachment->name, "at. Pitbull.mp3"));
  g_assert_null (strchr (attachment->name, '%'));
  g_assert_null (strchr (attachment->name, '\''));
  g_assert_cmpuint (attachment->size, ==, 399);
}

static void
test_headers_crafted (void)
{
  g_autoptr (KontorMailContent) content = content_from_string (
    "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.org>, \"Doe, Jane\" <jane@example.org>\n"
    "To: =?UTF-8?Q?=C3?= =?UTF-8?Q?=A4?= <a@example.org>\n"
    "Cc: undisclosed-recipients:;\n"
    "Subject: =?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?= and =?x-unknown?Q?caf=C3=A9?= Caf\xe9\n"
    "Date: Thu, 1 Jan 2015 10:00:00 +0000\n"
    "Message-ID: <abc@example.org>\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "\n"
    "Gr\xfc\xdf"
    "e\n");

  assert_content_sane (content);
  g_assert_cmpstr (content->from, ==,
                   "André Pirard <pirard@example.org>, \"Doe, Jane\" <jane@example.org>");
  g_assert_cmpstr (content->to, ==, "ä <a@example.org>");
  g_assert_cmpstr (content->cc, ==, "undisclosed-recipients:;");
  g_assert_cmpstr (content->subject, ==, "äö and café Café");
  g_assert_cmpint (content->date, ==, 1420106400);
  g_assert_cmpstr (content->message_id, ==, "abc@example.org");
  g_assert_cmpstr (content->text, ==, "Grüße");
  g_assert_null (content->html);
}

static void
test_bad_date (void)
{
  g_autoptr (KontorMailContent) empty = load_content ("rbmail-bad-date-header.eml");
  g_autoptr (KontorMailContent) missing = load_content ("tb-malformed-multipart-mixed.eml");
  g_autoptr (KontorMailContent) good = load_content ("tb-05-HTML+embedded-image.eml");

  g_assert_cmpint (empty->date, ==, 0);
  g_assert_cmpint (missing->date, ==, 0);
  g_assert_cmpint (good->date, ==, 1514658383);
}

static void
test_decode_to_utf8 (void)
{
  g_autofree char *utf16 = kontor_mail_decode_to_utf8 ("\xff\xfeH\0i\0", 6, NULL);
  g_autofree char *nul = kontor_mail_decode_to_utf8 ("a\0b", 3, "us-ascii");
  g_autofree char *latin1 = kontor_mail_decode_to_utf8 ("caf\xe9", 4, "utf-8");
  g_autofree char *mislabelled = kontor_mail_decode_to_utf8 ("caf\xc3\xa9", 5, "iso-8859-1");
  g_autofree char *cp1252 = kontor_mail_decode_to_utf8 ("\x93quoted\x94", 8, "iso-8859-1");
  g_autofree char *unknown = kontor_mail_decode_to_utf8 ("na\xefve", 5, "no-such-charset");

  g_assert_cmpstr (utf16, ==, "Hi");
  g_assert_cmpstr (nul, ==, "ab");
  g_assert_cmpstr (latin1, ==, "café");
  g_assert_cmpstr (mislabelled, ==, "café");
  g_assert_cmpstr (cp1252, ==, "“quoted”");
  g_assert_cmpstr (unknown, ==, "naïve");
}

/* Structure */

static void
test_structure_alternative (void)
{
  g_autoptr (KontorMailContent) content =
    load_content ("tb-10-plaintext+(HTML+embedded-image)+attachment.eml");

  /* Text from the plain alternative, HTML from the related one. */
  g_assert_cmpstr (content->text, ==, "Search for hihi");
  g_assert_nonnull (content->html);
  g_assert_nonnull (strstr (content->html, "cid:part1.8C5E6A81.D0C1B91A@jorgk.com"));
}

static void
test_structure_html_only (void)
{
  g_autoptr (KontorMailContent) content = content_from_string (
    "From: a@example.org\n"
    "Subject: html\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<html><head><title>Title</title><style>p{color:red}</style></head><body>"
    "<div style=\"display: none\">preheader</div>"
    "<p>Hello&nbsp;<b>W&ouml;rld</b> &amp; &#x263A;</p><script>alert(1)</script>"
    "<p>Line 2<br>Line 3</p><blockquote><p>quoted</p></blockquote>"
    "<ul><li>one</li><li>two</li></ul>"
    "<a href=\"https://example.org/x\">Click</a></body></html>\n");

  assert_content_sane (content);
  g_assert_nonnull (content->html);
  g_assert_true (g_str_has_prefix (content->html, "<html><head><title>Title</title>"));
  g_assert_cmpstr (content->text, ==,
                   "Hello Wörld & ☺\n\nLine 2\nLine 3\n\n> quoted\n\n• one\n• two\n\n"
                   "Click <https://example.org/x>");
}

static void
test_structure_nested_message (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-nested-messages-unusual-multipart.eml");
  static const char *const names[] = {
    "message1.eml", "whitePixel.png", "greenPixel.png",  "redPixel.png",
    "message2.eml", "whitePixel.png", "yellowPixel.png",
  };

  g_assert_cmpuint (content->attachments->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      g_assert_cmpstr (attachment->name, ==, names[i]);
    }
  g_assert_cmpstr (
    ((KontorMailAttachment *) g_ptr_array_index (content->attachments, 0))->mime_type, ==,
    "message/rfc822");

  /* The enclosed messages are read, headers and all. */
  g_assert_nonnull (strstr (content->text, "Subject: Test message 1"));
  g_assert_nonnull (strstr (content->text, "Message with multiple attachments."));
  g_assert_nonnull (strstr (content->text, "Subject: Test message 2"));
  g_assert_nonnull (strstr (content->text, "This message has an attachment"));
}

static void
test_structure_missing_headers (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-attached-message-missing-headers.eml");
  KontorMailAttachment *attachment = find_attachment (content, "message1.eml");
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *source = NULL;

  /* Nothing is made up for an enclosed message that lacks headers, neither on screen
   * nor in what is saved. */
  g_assert_nonnull (attachment);
  g_assert_nonnull (strstr (content->text, "This is my body"));
  g_assert_null (strstr (content->text, "No Subject"));
  g_assert_null (strstr (content->text, "Date:"));

  bytes = kontor_mail_part_dup_bytes (attachment->part, NULL, NULL);
  source = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (source, "This is my body"));
  g_assert_null (strstr (source, "Subject:"));
  g_assert_null (strstr (source, "Date:"));
}

static void
test_structure_broken (void)
{
  g_autoptr (KontorMailContent) no_boundary = load_content ("dovecot-malformed-017.eml");
  g_autoptr (KontorMailContent) partial = load_content ("gmime-message-partial.0.eml");
  KontorMailAttachment *image;
  g_autoptr (GBytes) bytes = NULL;

  /* "multipart/mixed" without ';' before boundary=: read anyway, and said so. */
  g_assert_true (no_boundary->is_partial_or_broken);
  g_assert_nonnull (no_boundary->problem);
  image = find_attachment (no_boundary, "image001.png");
  g_assert_nonnull (image);
  bytes = kontor_mail_part_dup_bytes (image->part, NULL, NULL);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello world\n", 12);

  g_assert_true (partial->is_partial_or_broken);
  g_assert_nonnull (partial->problem);
  g_assert_cmpstr (partial->text, ==, "");
}

static void
test_structure_raw_fallback (void)
{
  g_autoptr (KontorMailContent) content =
    content_from_string ("From: a@example.org\n"
                         "Subject: no boundary at all\n"
                         "Content-Type: multipart/mixed\n"
                         "\n"
                         "Just some text where parts should be.\n");

  g_assert_true (content->is_partial_or_broken);
  g_assert_nonnull (content->problem);
  g_assert_cmpstr (content->text, ==, "Just some text where parts should be.");
}

static void
test_structure_security (void)
{
  g_autoptr (KontorMailContent) signed_content = load_content ("tb-pgpmime-signed.eml");
  g_autoptr (KontorMailContent) encrypted = load_content ("tb-pgpmime-encrypted.eml");
  g_autoptr (KontorMailContent) footer = load_content ("tb-pgp-signed-with-mailman-footer.eml");

  g_assert_true (signed_content->is_signed);
  g_assert_false (signed_content->is_encrypted);
  g_assert_cmpstr (signed_content->text, ==, "Sundays are nothing without callaloo.");
  g_assert_cmpuint (signed_content->attachments->len, ==, 0);

  g_assert_true (encrypted->is_encrypted);
  g_assert_nonnull (find_attachment (encrypted, "encrypted.asc"));

  g_assert_nonnull (strstr (footer->text, "callaloo"));
  g_assert_nonnull (strstr (footer->text, "Mailman mailing list"));
}

static void
test_structure_invitation (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-google-meet-invite.eml");
  gboolean calendar = FALSE;

  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      calendar = calendar || g_strcmp0 (attachment->mime_type, "text/calendar") == 0;
    }
  g_assert_true (calendar);
  g_assert_nonnull (find_attachment (content, "invite.ics"));
  g_assert_nonnull (content->html);
}

/* Attachments */

static void
test_attachments_metadata (void)
{
  g_autoptr (KontorMailContent) content =
    load_content ("tb-10-plaintext+(HTML+embedded-image)+attachment.eml");
  g_autoptr (KontorMailContent) unreferenced =
    load_content ("tb-unreferenced-related-inline-image.eml");
  KontorMailAttachment *attachment;

  g_assert_cmpuint (content->attachments->len, ==, 2);

  attachment = g_ptr_array_index (content->attachments, 0);
  g_assert_cmpstr (attachment->name, ==, "kigaaldcbanejcbi.png");
  g_assert_cmpstr (attachment->mime_type, ==, "image/png");
  g_assert_cmpuint (attachment->size, ==, 242);
  g_assert_cmpstr (attachment->content_id, ==, "part1.8C5E6A81.D0C1B91A@jorgk.com");
  g_assert_true (attachment->is_inline);
  g_assert_true (attachment->is_referenced);

  attachment = g_ptr_array_index (content->attachments, 1);
  g_assert_cmpstr (attachment->name, ==, "attach2.png");
  g_assert_cmpstr (attachment->mime_type, ==, "image/png");
  g_assert_cmpuint (attachment->size, ==, 158);
  g_assert_null (attachment->content_id);
  g_assert_false (attachment->is_inline);
  g_assert_false (attachment->is_referenced);

  /* A related image the HTML never shows must still be offered. */
  attachment = find_attachment (unreferenced, "sample.png");
  g_assert_nonnull (attachment);
  g_assert_true (attachment->is_inline);
  g_assert_false (attachment->is_referenced);
}

static char *
file_sha256 (GFile *file)
{
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
test_attachments_save (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-multiparty.eml");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-mail-content-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFile) missing = NULL;
  g_autofree char *sum = NULL;
  KontorMailAttachment *attachment;
  guint64 size = 0;

  g_assert_no_error (error);
  attachment = find_attachment (content, "kitty.jpg");
  g_assert_nonnull (attachment);
  g_assert_cmpstr (attachment->mime_type, ==, "image/jpeg");
  g_assert_cmpuint (attachment->size, ==, 320729);

  path = g_build_filename (dir, "kitty.jpg", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (g_file_set_contents (path, "old content", -1, NULL));

  /* An existing file is replaced by exactly the decoded bytes. */
  g_assert_true (kontor_mail_attachment_save (attachment, file, NULL, &error));
  g_assert_no_error (error);
  sum = file_sha256 (file);
  g_assert_cmpstr (sum, ==, "e9117378ae85cf24643980e4b92f1a9fc1d5498e059810d791e5c363a2660cd8");
  {
    g_autoptr (GFileInfo) info =
      g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
    size = g_file_info_get_size (info);
  }
  g_assert_cmpuint (size, ==, 320729);

  missing = g_file_new_build_filename (dir, "no-such-folder", "kitty.jpg", NULL);
  g_assert_false (kontor_mail_attachment_save (attachment, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_assert_true (g_file_delete (file, NULL, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_attachments_uuencode (void)
{
  g_autoptr (KontorMailContent) content =
    content_from_string ("From: a@example.org\n"
                         "Subject: uu\n"
                         "MIME-Version: 1.0\n"
                         "Content-Type: multipart/mixed; boundary=\"b\"\n"
                         "\n"
                         "--b\n"
                         "Content-Type: text/plain\n"
                         "\n"
                         "Body\n"
                         "--b\n"
                         "Content-Type: application/octet-stream ; name=\"hello.txt\"\n"
                         "Content-Transfer-Encoding: x-uuencode\n"
                         "Content-Disposition: attachment; filename=\"hello.txt\"\n"
                         "\n"
                         "begin 644 hello.txt\n"
                         "82&5L;&\\L('5U96YC;V1E9\"!W;W)L9\"$*\n"
                         "`\n"
                         "end\n"
                         "--b--\n");
  KontorMailAttachment *attachment = find_attachment (content, "hello.txt");
  g_autoptr (GBytes) bytes = NULL;

  g_assert_nonnull (attachment);
  g_assert_cmpuint (attachment->size, ==, 24);
  bytes = kontor_mail_part_dup_bytes (attachment->part, NULL, NULL);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "Hello, uuencoded world!\n", 24);
  g_assert_cmpstr (content->text, ==, "Body");
}

static void
test_attachments_fallback_names (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-mime-torture.eml");
  KontorMailAttachment *first;

  /* Nameless parts, also those of enclosed messages, get numbered names with an
   * extension from their type. */
  g_assert_cmpuint (content->attachments->len, ==, 22);
  first = g_ptr_array_index (content->attachments, 0);
  g_assert_cmpstr (first->name, ==, "attachment-1.bin");
  g_assert_cmpstr (first->mime_type, ==, "application/andrew-inset");
  g_assert_cmpstr (find_attachment (content, "attachment-2.au")->mime_type, ==, "audio/basic");
  g_assert_cmpstr (find_attachment (content, "attachment-11.pgm")->mime_type, ==, "image/pgm");
  g_assert_cmpstr (find_attachment (content, "Alices_PDP-10")->mime_type, ==,
                   "application/octet-stream");
}

static void
test_cid_lookup (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-05-HTML+embedded-image.eml");
  CamelMimePart *part =
    kontor_mail_content_find_cid (content, "cid:part1.8C5E6A81.D0C1B91A@jorgk.com");
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *sum = NULL;

  g_assert_nonnull (part);
  g_assert_true (part ==
                 kontor_mail_content_find_cid (content, "part1.8C5E6A81.D0C1B91A@jorgk.com"));
  g_assert_true (part ==
                 kontor_mail_content_find_cid (content, "<part1.8C5E6A81.D0C1B91A@jorgk.com>"));
  g_assert_true (part ==
                 kontor_mail_content_find_cid (content, "CID:part1.8c5e6a81.d0c1b91a%40jorgk.com"));
  g_assert_null (kontor_mail_content_find_cid (content, "cid:nothing@example.org"));
  g_assert_null (kontor_mail_content_find_cid (content, ""));

  bytes = kontor_mail_part_dup_bytes (part, NULL, NULL);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_assert_cmpstr (sum, ==, "fe2ad3fd311e72a96df7ca8c6158b2b8e15518d73665b921d4e8e71a793c82ea");
  g_assert_false (kontor_mail_content_has_remote_content (content));
}

static void
test_inline_image_placed (void)
{
  g_autoptr (KontorMailContent) content = load_content ("rbmail-apple-mail-smime-signed.eml");
  KontorMailAttachment *attachment = find_attachment (content, "truncated.png");
  g_autofree char *document = kontor_mail_content_build_document (content, FALSE);
  const char *img;
  g_autofree char *cid = NULL;

  /* An inline image outside multipart/related is shown where it stands, through a cid:
   * URI the lookup resolves even though the part had no Content-ID. */
  g_assert_nonnull (attachment);
  g_assert_true (attachment->is_referenced);
  img = strstr (document, "<img src=\"cid:");
  g_assert_nonnull (img);
  cid = g_strndup (img + 10, strcspn (img + 10, "\""));
  g_assert_true (kontor_mail_content_find_cid (content, cid) == attachment->part);
}

/* Text to HTML */

static void
test_text_to_html_escape (void)
{
  g_autofree char *html =
    kontor_mail_text_to_html ("<script>alert(\"x\")</script> & 'y'\n  two  spaces\ttab");

  g_assert_null (strstr (html, "<script>"));
  g_assert_nonnull (
    strstr (html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"));
  g_assert_nonnull (strstr (html, "\n  two  spaces\ttab"));
  g_assert_true (g_str_has_prefix (html, "<div class=\"kontor-plain\">"));
}

static void
test_text_to_html_quotes (void)
{
  g_autofree char *html = kontor_mail_text_to_html ("hi\n> q1\n>> q2\n> > q2b\n> back\nbye");

  g_assert_cmpstr (html, ==,
                   "<div class=\"kontor-plain\">hi"
                   "<blockquote class=\"kontor-quote kontor-quote-1\" type=\"cite\">q1"
                   "<blockquote class=\"kontor-quote kontor-quote-2\" type=\"cite\">q2\nq2b"
                   "</blockquote>back</blockquote>bye</div>");
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

static void
test_text_to_html_links (void)
{
  g_autofree char *trailing = kontor_mail_text_to_html ("See http://example.com/a_(b).");
  g_autofree char *www = kontor_mail_text_to_html ("(see www.example.org/x)");
  g_autofree char *mail = kontor_mail_text_to_html ("mailto:a@b.org, or c.d@example.com!");
  g_autofree char *query = kontor_mail_text_to_html ("https://example.com/?a=1&b=2");
  g_autofree char *angle = kontor_mail_text_to_html ("<https://example.com/x>");
  g_autofree char *once = kontor_mail_text_to_html ("http://www.example.com/www.example.org");
  g_autofree char *none = kontor_mail_text_to_html ("javascript:alert(1) foo@bar http:// www.");

  g_assert_nonnull (
    strstr (trailing, "See <a href=\"http://example.com/a_(b)\">http://example.com/a_(b)</a>."));
  g_assert_nonnull (
    strstr (www, "(see <a href=\"http://www.example.org/x\">www.example.org/x</a>)"));
  g_assert_nonnull (strstr (mail, "<a href=\"mailto:a@b.org\">mailto:a@b.org</a>, or "));
  g_assert_nonnull (strstr (mail, "<a href=\"mailto:c.d@example.com\">c.d@example.com</a>!"));
  g_assert_nonnull (strstr (query, "href=\"https://example.com/?a=1&amp;b=2\""));
  g_assert_nonnull (
    strstr (angle, "&lt;<a href=\"https://example.com/x\">https://example.com/x</a>&gt;"));
  g_assert_cmpuint (count (once, "<a "), ==, 1);
  g_assert_cmpuint (count (none, "<a "), ==, 0);
}

static void
test_text_unflow (void)
{
  g_autofree char *flowed =
    kontor_mail_text_unflow ("Hello \nworld\n> quoted \n> more\n>> deeper\n-- \n From here", FALSE);
  g_autofree char *delsp = kontor_mail_text_unflow ("Hel \nlo", TRUE);

  g_assert_cmpstr (flowed, ==, "Hello world\n> quoted more\n>> deeper\n-- \nFrom here");
  g_assert_cmpstr (delsp, ==, "Hello");
}

static void
test_flowed_message (void)
{
  g_autoptr (KontorMailContent) content =
    content_from_string ("From: a@example.org\n"
                         "Content-Type: text/plain; charset=utf-8; format=flowed\n"
                         "\n"
                         "This is a long \n"
                         "paragraph.\n"
                         "> and a quote \n"
                         "> that flows\n");

  g_assert_cmpstr (content->text, ==, "This is a long paragraph.\n> and a quote that flows");
}

/* The document */

static const char *const hostile_html[] = {
  "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">"
  "<meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/\">"
  "<base href=\"http://evil.example/\"><title>x</title></head>"
  "<body bgcolor=\"#ffeedd\"><p>Hi there</p></body></html>",
  "<img src=\"http://evil.example/a.png\"><html><head><meta charset=\"koi8-r\"></head>"
  "<body><p>Hi there</p></body></html>",
  "<!DOCTYPE html><!-- <head> --><meta name=\"referrer\" content=\"unsafe-url\"><p>Hi there</p>",
};

static void
test_document_policy_first (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_html); i++)
    {
      g_autofree char *source = g_strdup_printf ("From: a@example.org\n"
                                                 "Content-Type: text/html; charset=utf-8\n"
                                                 "\n%s\n",
                                                 hostile_html[i]);
      g_autoptr (KontorMailContent) content = content_from_string (source);
      g_autofree char *document = kontor_mail_content_build_document (content, FALSE);
      const char *head = strstr (document, "<head>");
      const char *first_message_byte = strstr (document, "<body>");

      g_assert_nonnull (head);
      g_assert_nonnull (first_message_byte);
      /* The policy is the head's first element, before anything of the message. */
      g_assert_true (g_str_has_prefix (head + 6, "<meta http-equiv=\"Content-Security-Policy\" "
                                                 "content=\"default-src 'none';"));
      g_assert_true (head < first_message_byte);
      g_assert_true (strstr (document, "Hi there") > first_message_byte);
      g_assert_true (g_str_has_prefix (document, "<!DOCTYPE html>\n<html"));
      /* The message's own meta elements are gone: no refresh, no weaker policy. */
      g_assert_null (strstr (document, "default-src *"));
      g_assert_null (strstr (document, "0;url=http://evil.example/"));
      g_assert_null (strstr (document, "unsafe-url"));
      g_assert_null (strstr (document, "koi8-r"));
      /* The message HTML is kept as sent (with the body's last line end). */
      g_assert_true (g_str_has_prefix (content->html, hostile_html[i]));
      g_assert_cmpstr (content->html + strlen (hostile_html[i]), ==, "\n");
    }
}

static void
test_document_policy_content (void)
{
  g_autoptr (KontorMailContent) content = load_content ("tb-05-HTML+embedded-image.eml");
  g_autofree char *blocked = kontor_mail_content_build_document (content, FALSE);
  g_autofree char *allowed = kontor_mail_content_build_document (content, TRUE);
  static const char *const always[] = {
    "default-src 'none'",  "script-src 'none'",  "object-src 'none'",
    "frame-src 'none'",    "child-src 'none'",   "connect-src 'none'",
    "prefetch-src 'none'", "form-action 'none'", "base-uri 'none'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (always); i++)
    {
      g_assert_nonnull (strstr (blocked, always[i]));
      g_assert_nonnull (strstr (allowed, always[i]));
    }
  g_assert_nonnull (strstr (blocked, "img-src cid: data:;"));
  g_assert_nonnull (strstr (blocked, "media-src cid: data:;"));
  g_assert_nonnull (strstr (blocked, "font-src cid: data:;"));
  g_assert_nonnull (strstr (blocked, "style-src 'unsafe-inline' cid: data:\""));
  g_assert_null (strstr (blocked, "http:"));
  g_assert_nonnull (strstr (allowed, "img-src cid: data: https: http:;"));
  g_assert_nonnull (strstr (allowed, "style-src 'unsafe-inline' cid: data: https: http:\""));

  /* The stylesheet: readable, images fit, dark mode for text. */
  g_assert_nonnull (strstr (blocked, "prefers-color-scheme:dark"));
  g_assert_nonnull (strstr (blocked, "max-width:100%"));
  g_assert_nonnull (strstr (blocked, "<img src=\"cid:part1.8C5E6A81.D0C1B91A@jorgk.com\""));
  g_assert_nonnull (strstr (blocked, "class=\"kontor-html\""));
}

static void
test_document_text (void)
{
  g_autoptr (KontorMailContent) content =
    content_from_string ("From: a@example.org\n"
                         "Content-Type: text/plain; charset=utf-8\n"
                         "\n"
                         "Hello <b>not bold</b>\n"
                         "> quoted http://example.org/\n");
  g_autofree char *document = kontor_mail_content_build_document (content, FALSE);

  g_assert_null (content->html);
  g_assert_nonnull (strstr (document, "class=\"kontor-text\""));
  g_assert_nonnull (strstr (document, "Hello &lt;b&gt;not bold&lt;/b&gt;"));
  g_assert_nonnull (strstr (document, "<blockquote class=\"kontor-quote kontor-quote-1\""));
  g_assert_nonnull (strstr (document, "<a href=\"http://example.org/\">"));
}

/* Remote content */

static const char *const remote_html[] = {
  "<img src=\"http://x.example/a.png\">",
  "<IMG SRC=\"HTTPS://x.example/a.png\">",
  "<img src=//x.example/a.png>",
  "<img src=\" \thttp://x.example/a.png\">",
  "<img src=\"ht&#9;tp://x.example/a.png\">",
  "<img src=\"&#104;ttp://x.example/a.png\">",
  "<img srcset=\"a.png 1x, https://x.example/b.png 2x\">",
  "<img src=\"cid:a\" srcset=\"data:image/png;base64,AA,BB 1x, //x.example/b.png 2x\">",
  "<picture><source srcset=\"https://x.example/a.webp\"><img src=\"cid:a\"></picture>",
  "<body background=\"http://x.example/bg.png\">",
  "<table><tr><td background='https://x.example/bg.png'>x</td></tr></table>",
  "<div style=\"background-image: url( 'http://x.example/a.png' )\">x</div>",
  "<div style=\"background:image-set('https://x.example/a.png' 1x)\">x</div>",
  "<style>p { background: url(https://x.example/a.png) }</style>",
  "<style>@import \"https://x.example/s.css\";</style>",
  "<style>@import url(http://x.example/s.css);</style>",
  "<style>@font-face { font-family: f; src: url(//x.example/f.woff) }</style>",
  "<link rel=\"stylesheet\" href=\"https://x.example/s.css\">",
  "<link rel=\"dns-prefetch\" href=\"//x.example\">",
  "<iframe src=\"https://x.example/\"></iframe>",
  "<object data=\"http://x.example/o.swf\"></object>",
  "<embed src=\"http://x.example/e\">",
  "<svg><image href=\"https://x.example/i.png\"/></svg>",
  "<svg><image xlink:href=\"https://x.example/i.png\"/></svg>",
  "<svg><use href=\"https://x.example/s.svg#a\"/></svg>",
  "<meta http-equiv=\"refresh\" content=\"0; url=https://x.example/\">",
  "<meta http-equiv=\"Refresh\" content=\"5;URL='http://x.example/'\">",
  "<video poster=\"http://x.example/p.jpg\"></video>",
  "<audio src=\"https://x.example/a.mp3\"></audio>",
  "<video><source src=\"https://x.example/v.mp4\"><track src=\"https://x.example/t.vtt\"></video>",
  "<input type=\"image\" src=\"http://x.example/b.png\">",
  "<iframe srcdoc=\"&lt;img src=&quot;http://x.example/a.png&quot;&gt;\"></iframe>",
};

static const char *const local_html[] = {
  "<img src=\"cid:part1@x.example\">",
  "<img src=\"data:image/png;base64,AAAA\">",
  "<img src=\"a.png\">",
  "<a href=\"https://x.example/\">a link is no load</a>",
  "<p>see http://x.example/a.png in the text</p>",
  "<style>p { color: red; background: url(cid:bg) }</style>",
  "<!-- <img src=\"http://x.example/a.png\"> -->",
  "<script>var a = \"<img src='http://x.example/a.png'>\";</script>",
  "<textarea><img src=\"http://x.example/a.png\"></textarea>",
  "<form action=\"https://x.example/\"><input name=\"q\"></form>",
  "<meta http-equiv=\"refresh\" content=\"5\">",
  "<div title=\"url(http://x.example/a.png)\">attribute text</div>",
  "",
};

static void
test_remote_content (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (remote_html); i++)
    if (!kontor_mail_html_has_remote_content (remote_html[i]))
      g_error ("remote content not seen in %s", remote_html[i]);

  for (guint i = 0; i < G_N_ELEMENTS (local_html); i++)
    if (kontor_mail_html_has_remote_content (local_html[i]))
      g_error ("remote content wrongly seen in %s", local_html[i]);
}

static void
test_remote_content_message (void)
{
  g_autoptr (KontorMailContent) remote = load_content ("rbmail-8bit-in-7bit-enron.eml");
  g_autoptr (KontorMailContent) local = load_content ("tb-mailformed-subject-yahoo.eml");
  g_autoptr (KontorMailContent) text = load_content ("tb-11-plaintext-greek.eml");

  g_assert_true (kontor_mail_content_has_remote_content (remote));
  g_assert_false (kontor_mail_content_has_remote_content (local));
  g_assert_false (kontor_mail_content_has_remote_content (text));
}

/* Parsing */

static void
test_parse_errors (void)
{
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GFile) missing = g_file_new_for_path ("/nonexistent/kontor-test.eml");
  g_autoptr (GError) error = NULL;

  g_assert_null (kontor_mail_message_from_bytes (empty, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (kontor_mail_message_from_file (missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_message_source (void)
{
  g_autofree char *path = data_path ("tb-malformed-multipart-mixed.eml");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (CamelMimeMessage) message = kontor_mail_message_from_file (file, NULL, NULL);
  g_autoptr (KontorMailContent) before = kontor_mail_content_new (message);
  g_autoptr (GBytes) source = kontor_mail_message_dup_source (message, NULL, NULL);
  g_autoptr (CamelMimeMessage) reparsed = kontor_mail_message_from_bytes (source, NULL);
  g_autoptr (KontorMailContent) after = kontor_mail_content_new (reparsed);
  g_autofree char *text = g_strndup (g_bytes_get_data (source, NULL), g_bytes_get_size (source));

  /* The message has no From, To or Date: its source must not grow them. */
  g_assert_nonnull (strstr (text, "Subject: Bad multipart/mixed\n"));
  g_assert_null (strstr (text, "\nDate:"));
  g_assert_null (strstr (text, "\nFrom:"));
  g_assert_cmpstr (after->text, ==, before->text);
  g_assert_cmpuint (after->attachments->len, ==, before->attachments->len);
  g_assert_null (after->from);
  g_assert_cmpint (after->date, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  /* Camel warns while parsing a header in a charset it cannot open (the corpus has
   * "=?NONE?B?...?="); that is input, not a failure. Criticals stay fatal everywhere,
   * warnings stay fatal for the code under test. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_fatal_mask ("kontor-mail",
                        G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  data_dir = g_getenv ("KONTOR_MAIL_TEST_DATA");
  if (data_dir == NULL)
    data_dir = g_test_get_filename (G_TEST_DIST, "..", "..", "data", "mail", NULL);

  dir = g_dir_open (data_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".mbox"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);

  g_test_add_func ("/kontor/mail-content/corpus-present", test_corpus_present);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_strdup_printf ("/kontor/mail-content/corpus/%s", file);

      g_test_add_data_func_full (path, g_strdup (file), test_corpus_file, g_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/kontor/mail-content/decoded/%02u-%s", i, expectations[i].file);
      g_test_add_data_func (path, &expectations[i], test_decoded);
    }
  g_test_add_func ("/kontor/mail-content/decoded/rfc2231-undecodable", test_rfc2231_undecodable);
  g_test_add_func ("/kontor/mail-content/decoded/headers", test_headers_crafted);
  g_test_add_func ("/kontor/mail-content/decoded/bad-date", test_bad_date);
  g_test_add_func ("/kontor/mail-content/decoded/to-utf8", test_decode_to_utf8);

  g_test_add_func ("/kontor/mail-content/structure/alternative", test_structure_alternative);
  g_test_add_func ("/kontor/mail-content/structure/html-only", test_structure_html_only);
  g_test_add_func ("/kontor/mail-content/structure/nested-message", test_structure_nested_message);
  g_test_add_func ("/kontor/mail-content/structure/missing-headers",
                   test_structure_missing_headers);
  g_test_add_func ("/kontor/mail-content/structure/broken", test_structure_broken);
  g_test_add_func ("/kontor/mail-content/structure/raw-fallback", test_structure_raw_fallback);
  g_test_add_func ("/kontor/mail-content/structure/security", test_structure_security);
  g_test_add_func ("/kontor/mail-content/structure/invitation", test_structure_invitation);

  g_test_add_func ("/kontor/mail-content/attachments/metadata", test_attachments_metadata);
  g_test_add_func ("/kontor/mail-content/attachments/save", test_attachments_save);
  g_test_add_func ("/kontor/mail-content/attachments/uuencode", test_attachments_uuencode);
  g_test_add_func ("/kontor/mail-content/attachments/fallback-names",
                   test_attachments_fallback_names);
  g_test_add_func ("/kontor/mail-content/attachments/cid", test_cid_lookup);
  g_test_add_func ("/kontor/mail-content/attachments/inline-image", test_inline_image_placed);

  g_test_add_func ("/kontor/mail-content/text-to-html/escape", test_text_to_html_escape);
  g_test_add_func ("/kontor/mail-content/text-to-html/quotes", test_text_to_html_quotes);
  g_test_add_func ("/kontor/mail-content/text-to-html/links", test_text_to_html_links);
  g_test_add_func ("/kontor/mail-content/text-to-html/unflow", test_text_unflow);
  g_test_add_func ("/kontor/mail-content/text-to-html/flowed-message", test_flowed_message);

  g_test_add_func ("/kontor/mail-content/document/policy-first", test_document_policy_first);
  g_test_add_func ("/kontor/mail-content/document/policy", test_document_policy_content);
  g_test_add_func ("/kontor/mail-content/document/text", test_document_text);

  g_test_add_func ("/kontor/mail-content/remote/snippets", test_remote_content);
  g_test_add_func ("/kontor/mail-content/remote/messages", test_remote_content_message);

  g_test_add_func ("/kontor/mail-content/parse/errors", test_parse_errors);
  g_test_add_func ("/kontor/mail-content/parse/source", test_message_source);

  return g_test_run ();
}
