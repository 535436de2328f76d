/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-message-file.c: the Outbox's way of reading a message file gives the same
 * message as Camel's own parsing: the same bytes written out, the same tree, and the
 * same decoded content in every part, for every message of the test corpus and for a
 * message with a big attachment. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <camel/camel.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kontor-mail-message-file.h"

static const char *corpus_dir;

static GBytes *
write_out (CamelDataWrapper *wrapper, gboolean decode)
{
  g_autoptr (CamelStream) stream = camel_stream_mem_new ();
  GByteArray *bytes = g_byte_array_new ();

  camel_stream_mem_set_byte_array (CAMEL_STREAM_MEM (stream), bytes);
  if (decode)
    camel_data_wrapper_decode_to_stream_sync (wrapper, stream, NULL, NULL);
  else
    camel_data_wrapper_write_to_stream_sync (wrapper, stream, NULL, NULL);
  return g_bytes_new (bytes->data, bytes->len);
}

static CamelMimeMessage *
camel_load (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelStream) stream = camel_stream_fs_new_with_name (path, O_RDONLY, 0, &error);
  CamelMimeMessage *message = camel_mime_message_new ();

  g_assert_no_error (error);
  camel_data_wrapper_construct_from_stream_sync (CAMEL_DATA_WRAPPER (message), stream, NULL, NULL);
  return message;
}

/* The two trees have the same shape, types, encodings and decoded content. */
static void
assert_same_tree (CamelDataWrapper *expected, CamelDataWrapper *actual, const char *where)
{
  g_autofree char *expected_type = camel_data_wrapper_get_mime_type (expected);
  g_autofree char *actual_type = camel_data_wrapper_get_mime_type (actual);

  g_assert_cmpstr (actual_type, ==, expected_type);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (actual), ==, G_OBJECT_TYPE_NAME (expected));
  if (CAMEL_IS_MULTIPART (expected))
    {
      guint n = camel_multipart_get_number (CAMEL_MULTIPART (expected));

      g_assert_cmpuint (camel_multipart_get_number (CAMEL_MULTIPART (actual)), ==, n);
      for (guint i = 0; i < n; i++)
        assert_same_tree (
          CAMEL_DATA_WRAPPER (camel_multipart_get_part (CAMEL_MULTIPART (expected), i)),
          CAMEL_DATA_WRAPPER (camel_multipart_get_part (CAMEL_MULTIPART (actual), i)), where);
    }
  else if (CAMEL_IS_MIME_PART (expected))
    {
      CamelDataWrapper *expected_content = camel_medium_get_content (CAMEL_MEDIUM (expected));
      CamelDataWrapper *actual_content = camel_medium_get_content (CAMEL_MEDIUM (actual));

      g_assert_cmpint (camel_mime_part_get_encoding (CAMEL_MIME_PART (actual)), ==,
                       camel_mime_part_get_encoding (CAMEL_MIME_PART (expected)));
      g_assert_true ((expected_content == NULL) == (actual_content == NULL));
      if (expected_content != NULL)
        assert_same_tree (expected_content, actual_content, where);
    }
  else
    {
      g_autoptr (GBytes) expected_bytes = write_out (expected, TRUE);
      g_autoptr (GBytes) actual_bytes = write_out (actual, TRUE);

      g_assert_cmpint (camel_data_wrapper_get_encoding (actual), ==,
                       camel_data_wrapper_get_encoding (expected));
      if (!g_bytes_equal (expected_bytes, actual_bytes))
        g_error ("%s: a part decodes differently", where);
    }
}

/* Camel makes up a Message-ID for a message without one when writing it out: the same
 * one is given to each such message, here and in any message/rfc822 part. */
static void
fix_message_ids (CamelDataWrapper *wrapper, guint *n)
{
  if (CAMEL_IS_MULTIPART (wrapper))
    for (guint i = 0; i < camel_multipart_get_number (CAMEL_MULTIPART (wrapper)); i++)
      fix_message_ids (CAMEL_DATA_WRAPPER (camel_multipart_get_part (CAMEL_MULTIPART (wrapper), i)),
                       n);
  if (CAMEL_IS_MIME_MESSAGE (wrapper) &&
      camel_mime_message_get_message_id (CAMEL_MIME_MESSAGE (wrapper)) == NULL)
    {
      g_autofree char *id = g_strdup_printf ("made-up-%u@example.org", (*n)++);

      camel_mime_message_set_message_id (CAMEL_MIME_MESSAGE (wrapper), id);
    }
  if (CAMEL_IS_MIME_PART (wrapper) && camel_medium_get_content (CAMEL_MEDIUM (wrapper)) != NULL)
    fix_message_ids (camel_medium_get_content (CAMEL_MEDIUM (wrapper)), n);
}

static void
assert_same_as_camel (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelMimeMessage) expected = camel_load (path);
  g_autoptr (CamelMimeMessage) actual = kontor_mail_message_load_file (path, &error);
  g_autoptr (GBytes) expected_bytes = NULL;
  g_autoptr (GBytes) actual_bytes = NULL;
  guint n_expected = 0, n_actual = 0;

  g_assert_no_error (error);
  g_assert_nonnull (actual);
  fix_message_ids (CAMEL_DATA_WRAPPER (expected), &n_expected);
  fix_message_ids (CAMEL_DATA_WRAPPER (actual), &n_actual);
  g_assert_cmpuint (n_actual, ==, n_expected);
  expected_bytes = write_out (CAMEL_DATA_WRAPPER (expected), FALSE);
  actual_bytes = write_out (CAMEL_DATA_WRAPPER (actual), FALSE);
  if (!g_bytes_equal (expected_bytes, actual_bytes))
    g_error ("%s is written out differently", path);
  assert_same_tree (CAMEL_DATA_WRAPPER (expected), CAMEL_DATA_WRAPPER (actual), path);
}

static void
test_corpus (void)
{
  g_autoptr (GDir) dir = g_dir_open (corpus_dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus_dir, name, NULL);

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      assert_same_as_camel (path);
      count++;
    }
  g_assert_cmpuint (count, >=, 20);
}

/* A message as the Outbox stores one: text, then a 3 MB binary attachment in base64. */
static void
test_big_attachment (void)
{
  g_autoptr (CamelMimeMessage) message = camel_mime_message_new ();
  g_autoptr (CamelMultipart) multipart = camel_multipart_new ();
  g_autoptr (CamelMimePart) text = camel_mime_part_new ();
  g_autoptr (CamelMimePart) attachment = camel_mime_part_new ();
  g_autoptr (GByteArray) data = g_byte_array_new ();
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelStream) stream = NULL;
  int fd;

  for (guint i = 0; i < 3 * 1024 * 1024; i++)
    {
      guint8 byte = (guint8) g_random_int ();
      g_byte_array_append (data, &byte, 1);
    }
  camel_mime_message_set_subject (message, "Big");
  camel_mime_part_set_content (text, "See the file.\n", 14, "text/plain; charset=UTF-8");
  camel_mime_part_set_content (attachment, (const char *) data->data, data->len,
                               "application/octet-stream");
  camel_mime_part_set_encoding (attachment, CAMEL_TRANSFER_ENCODING_BASE64);
  camel_mime_part_set_filename (attachment, "data.bin");
  camel_multipart_set_boundary (multipart, NULL);
  camel_multipart_add_part (multipart, text);
  camel_multipart_add_part (multipart, attachment);
  camel_medium_set_content (CAMEL_MEDIUM (message), CAMEL_DATA_WRAPPER (multipart));

  fd = g_file_open_tmp ("kontor-message-file-XXXXXX.eml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  stream = camel_stream_fs_new_with_name (path, O_WRONLY | O_TRUNC, 0600, &error);
  g_assert_no_error (error);
  camel_data_wrapper_write_to_stream_sync (CAMEL_DATA_WRAPPER (message), stream, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stream);

  assert_same_as_camel (path);
  g_unlink (path);
}

static void
test_missing (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (kontor_mail_message_load_file ("/nonexistent/message.eml", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  camel_init (NULL, FALSE);
  /* Damaged corpus messages make Camel warn (an unknown charset): not a failure here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_cmpint (argc, ==, 2);
  corpus_dir = argv[1];

  g_test_add_func ("/kontor/mail-message-file/corpus", test_corpus);
  g_test_add_func ("/kontor/mail-message-file/big-attachment", test_big_attachment);
  g_test_add_func ("/kontor/mail-message-file/missing", test_missing);
  return g_test_run ();
}
