/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-compose.c: the message builder: format=flowed (wrapping, soft breaks,
 * space-stuffing, quotes), header encodings, structure, attachments and their
 * encodings, and the errors a caller sees. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <camel/camel.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-compose.h"

static const KontorMailSender sender = { "Jürgen Größ", "juergen@example.org" };

/* RFC 3676 read back: soft breaks joined, stuffing removed; quote depth as ">" marks. */
static char *
unflow (const char *flowed)
{
  g_auto (GStrv) lines = g_strsplit (flowed, "\n", -1);
  GString *out = g_string_new (NULL);
  gboolean joining = FALSE;

  for (guint i = 0; lines[i] != NULL && (lines[i + 1] != NULL || *lines[i] != '\0'); i++)
    {
      const char *line = lines[i];
      guint depth = 0;
      gsize length;

      while (line[depth] == '>')
        depth++;
      line += depth;
      if (*line == ' ')
        line++;
      if (!joining && depth > 0)
        {
          for (guint d = 0; d < depth; d++)
            g_string_append_c (out, '>');
          g_string_append_c (out, ' ');
        }
      length = strlen (line);
      g_string_append (out, line);
      joining = length > 0 && line[length - 1] == ' ' && !g_str_equal (line, "-- ");
      if (!joining)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
test_flowed_wrap (void)
{
  const char *text =
    "Dies ist ein ziemlich langer Absatz über die Grüße aus München, der weit über "
    "zweiundsiebzig Zeichen hinausgeht und daher weich umbrochen werden muss, damit "
    "Leser ihn neu umbrechen können.\nZweite Zeile.\n";
  g_autofree char *flowed = kontor_mail_compose_flow_text (text);
  g_autofree char *back = unflow (flowed);
  g_auto (GStrv) lines = g_strsplit (flowed, "\n", -1);
  guint soft = 0;

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      gsize length = strlen (lines[i]);

      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 73);
      if (lines[i][length - 1] == ' ')
        soft++;
    }
  g_assert_cmpuint (soft, >=, 2);
  g_assert_true (g_str_has_suffix (flowed, "können.\nZweite Zeile.\n"));
  g_assert_cmpstr (back, ==, text);
}

static void
test_flowed_stuffing (void)
{
  const char *text = " indented\nFrom the start\n> quoted reply line\n>> deeper\n"
                     "trailing spaces   \n\n-- \nSignature";
  g_autofree char *flowed = kontor_mail_compose_flow_text (text);

  g_assert_cmpstr (flowed, ==,
                   "  indented\n"
                   " From the start\n"
                   "> quoted reply line\n"
                   ">> deeper\n"
                   "trailing spaces\n"
                   "\n"
                   "-- \n"
                   "Signature\n");
}

static void
test_flowed_quote_wrap (void)
{
  g_autofree char *long_quote = g_strconcat ("> ", g_strnfill (30, 'a'), " ", g_strnfill (30, 'b'),
                                             " ", g_strnfill (30, 'c'), NULL);
  g_autofree char *flowed = kontor_mail_compose_flow_text (long_quote);
  g_auto (GStrv) lines = g_strsplit (flowed, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "> aaa") && g_str_has_suffix (lines[0], "b "));
  g_assert_true (g_str_has_prefix (lines[1], "> ccc") && !g_str_has_suffix (lines[1], " "));
}

static GBytes *
serialize (CamelMimeMessage *message)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();

  g_assert_cmpint (camel_data_wrapper_write_to_output_stream_sync (CAMEL_DATA_WRAPPER (message),
                                                                   stream, NULL, NULL),
                   >, 0);
  g_output_stream_close (stream, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

/* The headers of @bytes, unfolded, as one string. */
static char *
dup_headers (GBytes *bytes)
{
  const char *data = g_bytes_get_data (bytes, NULL);
  const char *end = strstr (data, "\n\n");
  g_autofree char *head = g_strndup (data, end - data);
  g_autoptr (GRegex) fold = g_regex_new ("\n[ \t]+", 0, 0, NULL);

  return g_regex_replace_literal (fold, head, -1, 0, " ", 0, NULL);
}

static GBytes *
decoded (CamelMimePart *part)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();

  camel_data_wrapper_decode_to_output_stream_sync (camel_medium_get_content (CAMEL_MEDIUM (part)),
                                                   stream, NULL, NULL);
  g_output_stream_close (stream, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_headers (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelInternetAddress) recipients = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *headers = NULL;
  const char *to[] = { "Ada Lovelace <ada@example.net>, bob@example.com", NULL };
  const char *bcc[] = { "Geheim Ö <secret@example.com>", NULL };
  const char *data;

  fields->to = g_strdupv ((char **) to);
  fields->bcc = g_strdupv ((char **) bcc);
  fields->subject = g_strdup ("Grüße – größer als gedacht");
  fields->body = g_strdup ("Hallo Ada,\nhere is the plan for next week, with schöne Grüße.\n");
  fields->in_reply_to = g_strdup ("parent@example.net");
  message = kontor_mail_compose_build (fields, &sender, &recipients, NULL, NULL);
  g_assert_nonnull (message);
  bytes = serialize (message);
  data = g_bytes_get_data (bytes, NULL);
  headers = dup_headers (bytes);

  for (const char *p = headers; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_nonnull (strstr (headers, "Subject: =?UTF-8?"));
  g_assert_cmpstr (camel_mime_message_get_subject (message), ==, "Grüße – größer als gedacht");
  g_assert_nonnull (strstr (headers, "From: =?UTF-8?B?"));
  g_assert_nonnull (strstr (headers, "<juergen@example.org>"));
  g_assert_nonnull (strstr (headers, "To: Ada Lovelace <ada@example.net>, bob@example.com"));
  g_assert_null (strstr (headers, "Bcc"));
  g_assert_null (strstr (headers, "secret@"));
  g_assert_nonnull (strstr (headers, "User-Agent: Kontor"));
  g_assert_nonnull (strstr (headers, "In-Reply-To: <parent@example.net>"));
  g_assert_nonnull (strstr (headers, "Date: "));
  g_assert_true (
    g_regex_match_simple ("Message-ID: <[^<>@]+@example\\.org>", headers, G_REGEX_CASELESS, 0));
  g_assert_true (g_regex_match_simple (
    "Content-Type: text/plain; charset=\"?UTF-8\"?; format=\"?flowed\"?", headers, 0, 0));
  g_assert_nonnull (strstr (headers, "Content-Transfer-Encoding: quoted-printable"));
  g_assert_nonnull (strstr (data, "with sch=C3=B6ne Gr=C3=BC=C3=9Fe."));
  g_assert_cmpint (camel_address_length (CAMEL_ADDRESS (recipients)), ==, 3);
  g_assert_cmpint (camel_internet_address_find_address (recipients, "secret@example.com", NULL), ==,
                   2);
}

static char *
write_file (const char *dir, const char *name, const char *data, gsize length)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, length, NULL));
  return path;
}

static void
test_structure (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelMimeMessage) parsed = camel_mime_message_new ();
  g_autoptr (CamelStream) stream = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) binary_back = NULL;
  g_autoptr (GBytes) text_back = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-compose-XXXXXX", NULL);
  g_autofree char *binary_path = NULL;
  g_autofree char *text_path = NULL;
  const char *notes = "Notes about the plan.\nOne umlaut: ä.\nThe rest is plain ASCII text.\n";
  const char *to[] = { "ada@example.net", NULL };
  const char *data;
  guchar binary[512];
  CamelMultipart *mixed, *alternative;
  CamelMimePart *part;

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = i % 256;
  binary_path = write_file (dir, "Übersicht.bin", (const char *) binary, sizeof binary);
  text_path = write_file (dir, "notes.txt", notes, strlen (notes));
  fields->to = g_strdupv ((char **) to);
  fields->subject = g_strdup ("Structure");
  fields->body = g_strdup ("Plain text.");
  fields->html_body = g_strdup ("<p>HTML <b>text</b>.</p>");
  fields->attachments = g_strdupv ((char *[]){ binary_path, text_path, NULL });

  message = kontor_mail_compose_build (fields, &sender, NULL, NULL, NULL);
  g_assert_nonnull (message);
  bytes = serialize (message);
  data = g_bytes_get_data (bytes, NULL);
  /* RFC 2231 for the non-ASCII file name. */
  g_assert_nonnull (strstr (data, "filename*=UTF-8''%C3%9Cbersicht.bin"));
  g_assert_nonnull (strstr (data, "Content-Disposition: attachment; filename=notes.txt") ||
                    strstr (data, "Content-Disposition: attachment; filename=\"notes.txt\""));

  stream = camel_stream_mem_new_with_buffer (data, g_bytes_get_size (bytes));
  g_assert_true (camel_data_wrapper_construct_from_stream_sync (CAMEL_DATA_WRAPPER (parsed), stream,
                                                                NULL, NULL));
  mixed = CAMEL_MULTIPART (camel_medium_get_content (CAMEL_MEDIUM (parsed)));
  g_assert_true (camel_content_type_is (
    camel_data_wrapper_get_mime_type_field (CAMEL_DATA_WRAPPER (mixed)), "multipart", "mixed"));
  g_assert_cmpuint (camel_multipart_get_number (mixed), ==, 3);

  alternative =
    CAMEL_MULTIPART (camel_medium_get_content (CAMEL_MEDIUM (camel_multipart_get_part (mixed, 0))));
  g_assert_true (camel_content_type_is (
    camel_data_wrapper_get_mime_type_field (CAMEL_DATA_WRAPPER (alternative)), "multipart",
    "alternative"));
  g_assert_cmpuint (camel_multipart_get_number (alternative), ==, 2);
  g_assert_true (camel_content_type_is (
    camel_mime_part_get_content_type (camel_multipart_get_part (alternative, 0)), "text", "plain"));
  g_assert_true (camel_content_type_is (
    camel_mime_part_get_content_type (camel_multipart_get_part (alternative, 1)), "text", "html"));

  part = camel_multipart_get_part (mixed, 1);
  g_assert_cmpstr (camel_mime_part_get_filename (part), ==, "Übersicht.bin");
  g_assert_cmpint (camel_mime_part_get_encoding (part), ==, CAMEL_TRANSFER_ENCODING_BASE64);
  binary_back = decoded (part);
  g_assert_cmpmem (g_bytes_get_data (binary_back, NULL), g_bytes_get_size (binary_back), binary,
                   sizeof binary);

  part = camel_multipart_get_part (mixed, 2);
  g_assert_true (camel_content_type_is (camel_mime_part_get_content_type (part), "text", "plain"));
  g_assert_cmpstr (camel_content_type_param (camel_mime_part_get_content_type (part), "charset"),
                   ==, "UTF-8");
  g_assert_cmpstr (camel_mime_part_get_filename (part), ==, "notes.txt");
  g_assert_cmpint (camel_mime_part_get_encoding (part), ==,
                   CAMEL_TRANSFER_ENCODING_QUOTEDPRINTABLE);
  text_back = decoded (part);
  g_assert_cmpmem (g_bytes_get_data (text_back, NULL), g_bytes_get_size (text_back), notes,
                   strlen (notes));

  g_unlink (binary_path);
  g_unlink (text_path);
  g_rmdir (dir);
}

/* A 1x1 PNG. */
static const guchar png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
  0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
  0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
  0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static void
test_related (void)
{
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (KontorMailComposeFields) fields = NULL;
  g_autoptr (KontorMailComposeFields) wrong = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-compose-XXXXXX", NULL);
  g_autofree char *image_path = write_file (dir, "chart.png", (const char *) png, sizeof png);
  g_autofree char *notes_path = write_file (dir, "notes.txt", "notes\n", 6);
  g_autoptr (GVariantBuilder) images = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GBytes) image_back = NULL;
  GVariantDict dict;
  CamelMultipart *mixed, *alternative, *related;
  CamelMimePart *image;

  g_variant_builder_add (images, "{ss}", "chart@kontor", image_path);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "to", "^as", (const char *[]){ "ada@example.net", NULL });
  g_variant_dict_insert (&dict, "body", "s", "See [chart.png]");
  g_variant_dict_insert (&dict, "html-body", "s", "<div>See <img src=\"cid:chart@kontor\"/></div>");
  g_variant_dict_insert (&dict, "inline-images", "a{ss}", images);
  g_variant_dict_insert (&dict, "attachments", "^as", (const char *[]){ notes_path, NULL });
  variant = g_variant_ref_sink (g_variant_dict_end (&dict));
  fields = kontor_mail_compose_fields_new_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fields->inline_ids[0], ==, "chart@kontor");
  g_assert_cmpstr (fields->inline_images[0], ==, image_path);

  message = kontor_mail_compose_build (fields, &sender, NULL, NULL, &error);
  g_assert_no_error (error);
  mixed = CAMEL_MULTIPART (camel_medium_get_content (CAMEL_MEDIUM (message)));
  g_assert_cmpuint (camel_multipart_get_number (mixed), ==, 2);
  alternative =
    CAMEL_MULTIPART (camel_medium_get_content (CAMEL_MEDIUM (camel_multipart_get_part (mixed, 0))));
  g_assert_cmpuint (camel_multipart_get_number (alternative), ==, 2);
  related = CAMEL_MULTIPART (
    camel_medium_get_content (CAMEL_MEDIUM (camel_multipart_get_part (alternative, 1))));
  g_assert_true (camel_content_type_is (
    camel_data_wrapper_get_mime_type_field (CAMEL_DATA_WRAPPER (related)), "multipart", "related"));
  g_assert_cmpuint (camel_multipart_get_number (related), ==, 2);
  g_assert_true (camel_content_type_is (
    camel_mime_part_get_content_type (camel_multipart_get_part (related, 0)), "text", "html"));
  image = camel_multipart_get_part (related, 1);
  g_assert_true (camel_content_type_is (camel_mime_part_get_content_type (image), "image", "png"));
  g_assert_cmpstr (camel_mime_part_get_content_id (image), ==, "chart@kontor");
  g_assert_cmpstr (camel_mime_part_get_disposition (image), ==, "inline");
  image_back = decoded (image);
  g_assert_cmpmem (g_bytes_get_data (image_back, NULL), g_bytes_get_size (image_back), png,
                   sizeof png);

  /* Not an image, or a list of the wrong type: errors, nothing sent half. */
  g_strfreev (fields->inline_images);
  fields->inline_images = g_strdupv ((char *[]){ notes_path, NULL });
  g_clear_object (&message);
  message = kontor_mail_compose_build (fields, &sender, NULL, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (g_variant_new_parsed ("{'inline-images': <['x.png']>}"));
  wrong = kontor_mail_compose_fields_new_from_variant (variant, &error);
  g_assert_null (wrong);
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);

  g_unlink (image_path);
  g_unlink (notes_path);
  g_rmdir (dir);
}

static void
test_errors (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) variant = NULL;
  CamelMimeMessage *message;
  const char *bad[] = { "Ada <not an address>", NULL };
  const char *no_at[] = { "ada.example.net", NULL };
  const char *good[] = { "ada@example.net", NULL };
  const char *missing[] = { "/nonexistent/kontor/attachment.pdf", NULL };

  message = kontor_mail_compose_build (fields, &sender, NULL, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  fields->to = g_strdupv ((char **) bad);
  g_assert_null (kontor_mail_compose_build (fields, &sender, NULL, NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_strfreev (fields->to);
  fields->to = g_strdupv ((char **) no_at);
  g_assert_null (kontor_mail_compose_build (fields, &sender, NULL, NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "ada.example.net"));
  g_clear_error (&error);

  g_strfreev (fields->to);
  fields->to = g_strdupv ((char **) good);
  fields->attachments = g_strdupv ((char **) missing);
  g_assert_null (kontor_mail_compose_build (fields, &sender, NULL, NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  variant =
    g_variant_ref_sink (g_variant_new_parsed ("{'to': <['a@example.org']>, 'subjekt': <'x'>}"));
  g_assert_null (kontor_mail_compose_fields_new_from_variant (variant, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&variant, g_variant_unref);

  variant = g_variant_ref_sink (g_variant_new_parsed ("{'to': <'a@example.org'>}"));
  g_assert_null (kontor_mail_compose_fields_new_from_variant (variant, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  camel_init (NULL, FALSE);

  g_test_add_func ("/kontor/mail-compose/flowed/wrap", test_flowed_wrap);
  g_test_add_func ("/kontor/mail-compose/flowed/stuffing", test_flowed_stuffing);
  g_test_add_func ("/kontor/mail-compose/flowed/quote-wrap", test_flowed_quote_wrap);
  g_test_add_func ("/kontor/mail-compose/headers", test_headers);
  g_test_add_func ("/kontor/mail-compose/structure", test_structure);
  g_test_add_func ("/kontor/mail-compose/related", test_related);
  g_test_add_func ("/kontor/mail-compose/errors", test_errors);
  return g_test_run ();
}
