/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-file.c: reads a message file into a CamelMimeMessage holding
 * each part's content once.
 *
 * Camel's own parsing (camel_data_wrapper_construct_from_stream_sync() on a message)
 * gathers each leaf's content into a buffer of its own and then copies it into the
 * part: a 20 MB attachment, 27 MB once encoded, is briefly held twice. The Outbox
 * reads every message it sends, so it builds the same tree with Camel's parser but
 * appends each leaf's content straight into the part's own buffer. The content stays
 * encoded, as Camel keeps it, so writing the message out gives back the same bytes. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>

#include "kontor-mail-message-file.h"

static gboolean construct_part (CamelMimePart *part, CamelMimeParser *parser, GError **error);

/* The headers of the part the parser stands on, in their order. (Camel reads the
 * Content-Type first, for its charset as a fallback when decoding raw 8-bit headers;
 * the Outbox's messages have none, and their bytes are kept either way.) */
static void
add_headers (CamelMimePart *part, CamelMimeParser *parser)
{
  g_autoptr (CamelNameValueArray) headers = camel_mime_parser_dup_headers (parser);
  const char *name, *value;
  gboolean has_type = FALSE;

  for (guint i = 0; camel_name_value_array_get (headers, i, &name, &value); i++)
    {
      /* A second Content-Type is kept, under another name, as Camel does. */
      if (g_ascii_strcasecmp (name, "Content-Type") == 0 && has_type)
        name = "X-Invalid-Content-Type";
      else if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        has_type = TRUE;
      camel_medium_add_header (CAMEL_MEDIUM (part), name, value);
    }
}

static CamelDataWrapper *
construct_leaf (CamelMimeParser *parser)
{
  CamelDataWrapper *content = camel_data_wrapper_new ();
  GByteArray *bytes = camel_data_wrapper_get_byte_array (content);
  char *data;
  gsize length;

  while (camel_mime_parser_step (parser, &data, &length) != CAMEL_MIME_PARSER_STATE_BODY_END)
    g_byte_array_append (bytes, (const guint8 *) data, length);
  return content;
}

static gboolean
construct_multipart (CamelMultipart *multipart, CamelMimeParser *parser, GError **error)
{
  CamelContentType *type = camel_mime_parser_content_type (parser);
  char *data;
  gsize length;

  camel_multipart_set_boundary (multipart, camel_content_type_param (type, "boundary"));
  while (camel_mime_parser_step (parser, &data, &length) != CAMEL_MIME_PARSER_STATE_MULTIPART_END)
    {
      g_autoptr (CamelMimePart) part = camel_mime_part_new ();

      camel_mime_parser_unstep (parser);
      if (!construct_part (part, parser, error))
        return FALSE;
      camel_multipart_add_part (multipart, part);
    }
  camel_multipart_set_preface (multipart, camel_mime_parser_preface (parser));
  camel_multipart_set_postface (multipart, camel_mime_parser_postface (parser));
  return TRUE;
}

static gboolean
construct_part (CamelMimePart *part, CamelMimeParser *parser, GError **error)
{
  g_autoptr (CamelDataWrapper) content = NULL;
  g_autofree char *encoding = NULL;
  char *data;
  CamelMimeParserState state = camel_mime_parser_step (parser, &data, NULL);

  if (state != CAMEL_MIME_PARSER_STATE_HEADER && state != CAMEL_MIME_PARSER_STATE_MULTIPART &&
      state != CAMEL_MIME_PARSER_STATE_MESSAGE)
    {
      g_set_error (error, CAMEL_ERROR, CAMEL_ERROR_GENERIC,
                   _ ("The message is damaged: a part has no headers"));
      return FALSE;
    }
  /* A part holding a message (in a digest, without a Content-Type) is message/rfc822. */
  if (state == CAMEL_MIME_PARSER_STATE_MESSAGE)
    camel_data_wrapper_set_mime_type (CAMEL_DATA_WRAPPER (part), "message/rfc822");
  add_headers (part, parser);
  encoding = camel_content_transfer_encoding_decode (
    camel_mime_parser_header (parser, "Content-Transfer-Encoding", NULL));

  if (state == CAMEL_MIME_PARSER_STATE_HEADER &&
      camel_content_type_is (camel_mime_parser_content_type (parser), "multipart", "signed"))
    {
      /* The parser leaves signed content whole, to be kept byte for byte, as Camel does. */
      content = CAMEL_DATA_WRAPPER (camel_multipart_signed_new ());
      camel_multipart_construct_from_parser (CAMEL_MULTIPART (content), parser);
    }
  else if (state == CAMEL_MIME_PARSER_STATE_HEADER)
    content = construct_leaf (parser);
  else if (state == CAMEL_MIME_PARSER_STATE_MULTIPART)
    {
      gboolean encrypted =
        camel_content_type_is (camel_mime_parser_content_type (parser), "multipart", "encrypted");

      content =
        CAMEL_DATA_WRAPPER (encrypted ? camel_multipart_encrypted_new () : camel_multipart_new ());
      if (!construct_multipart (CAMEL_MULTIPART (content), parser, error))
        return FALSE;
    }
  else
    {
      /* A message/rfc822 part: the message within, built the same way. */
      content = CAMEL_DATA_WRAPPER (camel_mime_message_new ());
      if (!construct_part (CAMEL_MIME_PART (content), parser, error))
        return FALSE;
      if (camel_mime_parser_step (parser, &data, NULL) != CAMEL_MIME_PARSER_STATE_MESSAGE_END)
        camel_mime_parser_unstep (parser);
    }

  if (encoding != NULL)
    camel_data_wrapper_set_encoding (content, camel_transfer_encoding_from_string (encoding));
  /* The type must be set before the content is: setting the content copies it. */
  camel_data_wrapper_set_mime_type_field (content, camel_mime_part_get_content_type (part));
  camel_medium_set_content (CAMEL_MEDIUM (part), content);
  return TRUE;
}

/**
 * kontor_mail_message_load_file:
 * @path: a message file, as RFC 5322 with CRLF or LF line ends
 *
 * Reads @path into a message whose parts each hold their content once.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
CamelMimeMessage *
kontor_mail_message_load_file (const char *path, GError **error)
{
  g_autoptr (CamelMimeParser) parser = camel_mime_parser_new ();
  g_autoptr (CamelMimeMessage) message = camel_mime_message_new ();
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
                   g_strerror (saved_errno));
      return NULL;
    }
  /* The parser owns the descriptor from here. */
  if (camel_mime_parser_init_with_fd (parser, fd) == -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, g_strerror (errno));
      return NULL;
    }
  camel_mime_parser_scan_from (parser, FALSE);
  if (!construct_part (CAMEL_MIME_PART (message), parser, error))
    return NULL;
  return g_steal_pointer (&message);
}
