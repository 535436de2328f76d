/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-draft-store.c: the message a draft is stored as (Bcc kept, recipients
 * missing or half typed) and what reading it back gives the composer: every field,
 * the text as typed, the threading headers and the attachments. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <camel/camel.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-draft-store.h"

static const KontorMailSender sender = { "Jürgen Größ", "juergen@example.org" };

static GBytes *
serialize (CamelMimeMessage *message)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_cmpint (
    camel_data_wrapper_write_to_output_stream_sync (CAMEL_DATA_WRAPPER (message), out, NULL, NULL),
    >, 0);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The message as the server would give it back. */
static CamelMimeMessage *
round_trip (CamelMimeMessage *message, char **out_text)
{
  g_autoptr (GBytes) bytes = serialize (message);
  CamelMimeMessage *parsed = camel_mime_message_new ();
  g_autoptr (CamelStream) stream =
    camel_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_true (camel_data_wrapper_construct_from_stream_sync (CAMEL_DATA_WRAPPER (parsed), stream,
                                                                NULL, NULL));
  if (out_text != NULL)
    *out_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return parsed;
}

static void
test_bcc_kept (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelMimeMessage) draft = NULL;
  g_autoptr (CamelMimeMessage) sent = NULL;
  g_autoptr (CamelMimeMessage) parsed = NULL;
  g_autofree char *text = NULL;

  fields->to = g_strdupv ((char *[]){ "Ada <ada@example.net>", NULL });
  fields->bcc = g_strdupv ((char *[]){ "Hidden Boss <boss@example.com>", NULL });
  fields->subject = g_strdup ("Plans");
  fields->body = g_strdup ("Text.");

  draft = kontor_mail_compose_build_draft (fields, &sender, NULL, NULL);
  g_assert_nonnull (draft);
  parsed = round_trip (draft, &text);
  g_assert_nonnull (strstr (text, "\nBcc: Hidden Boss <boss@example.com>"));
  /* Sending strips it. */
  sent = kontor_mail_compose_build (fields, &sender, NULL, NULL, NULL);
  g_clear_pointer (&text, g_free);
  g_clear_object (&parsed);
  parsed = round_trip (sent, &text);
  g_assert_null (strstr (text, "Bcc:"));
  g_assert_null (strstr (text, "boss@example.com"));
}

static void
test_unfinished (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (CamelMimeMessage) parsed = NULL;

  /* No recipient yet: a draft, not a message to send. */
  fields->subject = g_strdup ("Later");
  fields->body = g_strdup ("Ideas.");
  message = kontor_mail_compose_build_draft (fields, &sender, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_clear_object (&message);
  g_assert_null (kontor_mail_compose_build (fields, &sender, NULL, NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A half-typed address stays as typed. */
  fields->to = g_strdupv ((char *[]){ "bob@", "ada@example.net", NULL });
  message = kontor_mail_compose_build_draft (fields, &sender, NULL, &error);
  g_assert_no_error (error);
  parsed = round_trip (message, &text);
  g_assert_nonnull (strstr (text, "bob@"));
  g_assert_nonnull (strstr (text, "ada@example.net"));
  g_assert_null (kontor_mail_compose_build (fields, &sender, NULL, NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
}

static void
test_read_back (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelMimeMessage) parsed = NULL;
  g_autoptr (KontorMailDraft) draft = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-draft-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Übersicht.bin", NULL);
  g_autofree char *typed = NULL;
  g_autofree char *sender_text = NULL;
  const char *body = "Hallo Ada,\n\nein ziemlich langer Absatz über die Pläne, der weit über "
                     "zweiundsiebzig Zeichen hinausgeht und umbrochen wird.\n> zitiert\n\n"
                     "-- \nJürgen\n";
  const char *name;

  g_assert_true (g_file_set_contents (path, "\x01\x02\x00\xff", 4, NULL));
  fields->to = g_strdupv ((char *[]){ "Ada Lovelace <ada@example.net>", NULL });
  fields->cc = g_strdupv ((char *[]){ "charles@example.org", NULL });
  fields->bcc = g_strdupv ((char *[]){ "Zoë <zoe@example.com>", NULL });
  fields->subject = g_strdup ("Re: Grüße aus München");
  fields->body = g_strdup (body);
  fields->attachments = g_strdupv ((char *[]){ path, NULL });
  fields->in_reply_to = g_strdup ("<parent@example.net>");
  fields->references = g_strdup ("<root@example.net> <parent@example.net>");

  message = kontor_mail_compose_build_draft (fields, &sender, NULL, NULL);
  parsed = round_trip (message, NULL);
  draft = kontor_mail_draft_new_from_message (parsed);

  sender_text = kontor_mail_draft_format_address (sender.name, sender.address);
  g_assert_cmpstr (draft->from, ==, sender_text);
  g_assert_cmpuint (draft->to->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (draft->to, 0), ==, "Ada Lovelace <ada@example.net>");
  g_assert_cmpuint (draft->cc->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (draft->cc, 0), ==, "charles@example.org");
  g_assert_cmpuint (draft->bcc->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (draft->bcc, 0), ==, "Zoë <zoe@example.com>");
  g_assert_cmpstr (draft->subject, ==, "Re: Grüße aus München");
  /* As typed, long lines whole again; the reader's text has no last line end. */
  typed = g_strchomp (g_strdup (body));
  g_assert_cmpstr (g_strchomp (draft->body), ==, typed);
  g_assert_cmpstr (draft->in_reply_to, ==, "<parent@example.net>");
  g_assert_cmpstr (draft->references, ==, "<root@example.net> <parent@example.net>");
  g_assert_cmpuint (draft->attachments->len, ==, 1);
  name = camel_mime_part_get_filename (g_ptr_array_index (draft->attachments, 0));
  g_assert_cmpstr (name, ==, "Übersicht.bin");

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_read_back_plain (void)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelMimeMessage) parsed = NULL;
  g_autoptr (KontorMailDraft) draft = NULL;

  fields->body = g_strdup ("Only text.\n");
  message = kontor_mail_compose_build_draft (fields, &sender, NULL, NULL);
  parsed = round_trip (message, NULL);
  draft = kontor_mail_draft_new_from_message (parsed);
  g_assert_cmpuint (draft->to->len + draft->cc->len + draft->bcc->len, ==, 0);
  g_assert_cmpstr (draft->subject, ==, "");
  g_assert_cmpstr (g_strchomp (draft->body), ==, "Only text.");
  g_assert_null (draft->in_reply_to);
  g_assert_null (draft->references);
  g_assert_cmpuint (draft->attachments->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  camel_init (NULL, FALSE);

  g_test_add_func ("/kontor/mail-draft-store/bcc-kept", test_bcc_kept);
  g_test_add_func ("/kontor/mail-draft-store/unfinished", test_unfinished);
  g_test_add_func ("/kontor/mail-draft-store/read-back", test_read_back);
  g_test_add_func ("/kontor/mail-draft-store/read-back-plain", test_read_back_plain);
  return g_test_run ();
}
