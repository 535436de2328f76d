/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-compose.c: builds a new message. The text goes as text/plain;
 * format=flowed (RFC 3676): long lines are cut at spaces into soft breaks, so that
 * readers rewrap them, and lines that could be misread are space-stuffed. With an HTML
 * body both go in a multipart/alternative, plain text first (the HTML and its inline
 * images in a multipart/related); attachments make it a multipart/mixed. Headers and
 * parameters are encoded by Camel (RFC 2047 words, RFC 2231 file names). Each part gets the
 * transfer encoding its bytes need: none for short ASCII lines, quoted-printable for mostly-ASCII
 * text, base64 otherwise. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <fcntl.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-compose-private.h"

KontorMailComposeFields *
kontor_mail_compose_fields_new (void)
{
  return g_new0 (KontorMailComposeFields, 1);
}

void
kontor_mail_compose_fields_free (KontorMailComposeFields *fields)
{
  if (fields == NULL)
    return;
  g_free (fields->from);
  g_strfreev (fields->to);
  g_strfreev (fields->cc);
  g_strfreev (fields->bcc);
  g_free (fields->subject);
  g_free (fields->body);
  g_free (fields->html_body);
  g_strfreev (fields->attachments);
  g_strfreev (fields->inline_images);
  g_strfreev (fields->inline_ids);
  g_free (fields->in_reply_to);
  g_free (fields->references);
  g_free (fields);
}

/* Send()'s a{sv}: every key must be known and of its type, so a typo is an error
 * rather than a message sent without what was meant. */
KontorMailComposeFields *
kontor_mail_compose_fields_new_from_variant (GVariant *fields, GError **error)
{
  g_autoptr (KontorMailComposeFields) self = kontor_mail_compose_fields_new ();
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (g_variant_is_of_type (fields, G_VARIANT_TYPE_VARDICT), NULL);

  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      struct
      {
        const char *key;
        gboolean strv;
        gpointer field;
      } known[] = {
        { "from", FALSE, &self->from },
        { "to", TRUE, &self->to },
        { "cc", TRUE, &self->cc },
        { "bcc", TRUE, &self->bcc },
        { "subject", FALSE, &self->subject },
        { "body", FALSE, &self->body },
        { "html-body", FALSE, &self->html_body },
        { "attachments", TRUE, &self->attachments },
        { "in-reply-to", FALSE, &self->in_reply_to },
        { "references", FALSE, &self->references },
      };
      guint i;

      if (g_str_equal (key, "signature"))
        {
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            {
              g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                           _ ("The message field “%s” must be of type %s"), key, "b");
              g_variant_unref (value);
              return NULL;
            }
          self->signature = g_variant_get_boolean (value);
          continue;
        }
      if (g_str_equal (key, "inline-images"))
        {
          if (kontor_mail_compose_fields_take_inline_images (self, value, error))
            continue;
          g_variant_unref (value);
          return NULL;
        }
      for (i = 0; i < G_N_ELEMENTS (known); i++)
        if (g_str_equal (known[i].key, key))
          break;
      if (i == G_N_ELEMENTS (known))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown message field “%s”"), key);
          g_variant_unref (value);
          return NULL;
        }
      if (!g_variant_is_of_type (value, known[i].strv ? G_VARIANT_TYPE_STRING_ARRAY
                                                      : G_VARIANT_TYPE_STRING))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("The message field “%s” must be of type %s"), key,
                       known[i].strv ? "as" : "s");
          g_variant_unref (value);
          return NULL;
        }
      if (known[i].strv)
        {
          g_strfreev (*(GStrv *) known[i].field);
          *(GStrv *) known[i].field = g_variant_dup_strv (value, NULL);
        }
      else
        {
          g_free (*(char **) known[i].field);
          *(char **) known[i].field = g_variant_dup_string (value, NULL);
        }
    }
  return g_steal_pointer (&self);
}

/* Parts ------------------------------------------------------------------------ */

static CamelTransferEncoding
choose_encoding (const char *data, gsize length, gboolean text)
{
  gsize non_ascii = 0, line = 0, longest = 0;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c == '\0')
        return CAMEL_TRANSFER_ENCODING_BASE64;
      if (c >= 0x80)
        non_ascii++;
      if (c == '\n')
        line = 0;
      else
        longest = MAX (longest, ++line);
    }
  if (!text)
    return CAMEL_TRANSFER_ENCODING_BASE64;
  if (non_ascii == 0 && longest <= 998)
    return CAMEL_TRANSFER_ENCODING_7BIT;
  /* Mostly ASCII stays readable as quoted-printable; the rest is smaller as base64. */
  return non_ascii * 100 < length * 17 ? CAMEL_TRANSFER_ENCODING_QUOTEDPRINTABLE
                                       : CAMEL_TRANSFER_ENCODING_BASE64;
}

static CamelMimePart *
text_part_new (const char *text, const char *content_type)
{
  CamelMimePart *part = camel_mime_part_new ();
  gsize length;

  /* Camel makes no content of nothing: an empty text is one empty line. */
  if (*text == '\0')
    text = "\n";
  length = strlen (text);

  camel_mime_part_set_content (part, text, length, content_type);
  camel_mime_part_set_encoding (part, choose_encoding (text, length, TRUE));
  return part;
}

static CamelMimePart *
attachment_part_new (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CamelStream) stream = NULL;
  g_autoptr (CamelDataWrapper) wrapper = NULL;
  GByteArray *bytes;
  const char *data;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *type_header = NULL;
  gboolean text;
  gsize length;
  CamelMimePart *part;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an absolute file name"), path);
      return NULL;
    }
  /* Read once, straight into the part: a big file is held in memory once, not twice. */
  stream = camel_stream_fs_new_with_name (path, O_RDONLY, 0, &local_error);
  wrapper = camel_data_wrapper_new ();
  if (stream == NULL ||
      !camel_data_wrapper_construct_from_stream_sync (wrapper, stream, cancellable, &local_error))
    {
      g_set_error (error, KONTOR_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     ? KONTOR_ERROR_NOT_FOUND
                     : KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The attachment cannot be read: %s"), local_error->message);
      return NULL;
    }
  bytes = camel_data_wrapper_get_byte_array (wrapper);
  data = (const char *) bytes->data;
  length = bytes->len;

  basename = g_path_get_basename (path);
  name = g_filename_display_name (basename);
  content_type = g_content_type_guess (basename, (const guchar *) data, MIN (length, 4096), NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL)
    mime_type = g_strdup ("application/octet-stream");
  text = g_str_has_prefix (mime_type, "text/") && g_utf8_validate (data, length, NULL);
  type_header = text ? g_strdup_printf ("%s; charset=UTF-8", mime_type) : g_strdup (mime_type);

  camel_data_wrapper_set_mime_type (wrapper, type_header);
  part = camel_mime_part_new ();
  camel_medium_set_content (CAMEL_MEDIUM (part), wrapper);
  camel_mime_part_set_disposition (part, "attachment");
  kontor_mail_compose_set_filename (part, name);
  camel_mime_part_set_encoding (part, choose_encoding (data, length, text));
  return part;
}

static CamelMultipart *
multipart_new (const char *type)
{
  CamelMultipart *multipart = camel_multipart_new ();

  camel_data_wrapper_set_mime_type (CAMEL_DATA_WRAPPER (multipart), type);
  camel_multipart_set_boundary (multipart, NULL);
  return multipart;
}

/* Addresses ------------------------------------------------------------------------ */

/* Syntax only: local@domain, printable ASCII or UTF-8, no spaces, a dotted domain
 * without empty labels (or "localhost"). */
gboolean
kontor_mail_compose_address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return FALSE;
  if (strchr (at + 1, '.') == NULL && g_ascii_strcasecmp (at + 1, "localhost") != 0)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == '"' ||
        (p > at && (*p == '@' || (*p == '.' && (p[1] == '.' || p[1] == '\0' || p == at + 1)))))
      return FALSE;
  return TRUE;
}

static gboolean
addresses_are_valid (CamelInternetAddress *addresses)
{
  const char *email = NULL;

  for (int j = 0; j < camel_address_length (CAMEL_ADDRESS (addresses)); j++)
    if (!camel_internet_address_get (addresses, j, NULL, &email) ||
        !kontor_mail_compose_address_is_valid (email))
      return FALSE;
  return TRUE;
}

/* Every address of @texts into @into (and @all), or FALSE with an error naming the
 * first one that is not an e-mail address. A draft (@lenient) keeps what is half typed
 * as it is: it is finished later, not sent. */
static gboolean
add_addresses (CamelInternetAddress *into,
               CamelInternetAddress *all,
               const char *const *texts,
               gboolean lenient,
               GError **error)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
      g_autofree char *stripped = g_strstrip (g_strdup (texts[i]));
      const char *name, *email;
      int n;

      if (*stripped == '\0')
        continue;
      n = camel_address_decode (CAMEL_ADDRESS (parsed), texts[i]);
      if (lenient && (n <= 0 || !addresses_are_valid (parsed)))
        {
          if (into != NULL)
            camel_internet_address_add (into, NULL, stripped);
          camel_internet_address_add (all, NULL, stripped);
          continue;
        }
      if (n <= 0)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an e-mail address"), texts[i]);
          return FALSE;
        }
      for (int j = 0; j < n; j++)
        {
          if (!camel_internet_address_get (parsed, j, &name, &email) ||
              !kontor_mail_compose_address_is_valid (email))
            {
              g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                           _ ("“%s” is not an e-mail address"), email ? email : texts[i]);
              return FALSE;
            }
          if (into != NULL)
            camel_internet_address_add (into, name, email);
          camel_internet_address_add (all, name, email);
        }
    }
  return TRUE;
}

static void
set_message_ids (CamelMimeMessage *message, const char *header, const char *ids)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) value = g_string_new (NULL);

  if (ids == NULL)
    return;
  parts = g_strsplit_set (ids, " \t,", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = parts[i];
      gsize length = strlen (id);

      if (length == 0)
        continue;
      if (value->len > 0)
        g_string_append_c (value, ' ');
      if (id[0] == '<' && id[length - 1] == '>')
        g_string_append (value, id);
      else
        g_string_append_printf (value, "<%s>", id);
    }
  if (value->len > 0)
    camel_medium_set_header (CAMEL_MEDIUM (message), header, value->str);
}

/* A draft keeps Bcc in its headers (it is stripped when the message is sent), may have
 * no recipient yet, and keeps addresses still being typed. */
static CamelMimeMessage *
build (const KontorMailComposeFields *fields,
       const KontorMailSender *sender,
       gboolean draft,
       CamelInternetAddress **out_recipients,
       GCancellable *cancellable,
       GError **error)
{
  g_autoptr (CamelMimeMessage) message = camel_mime_message_new ();
  g_autoptr (CamelInternetAddress) from = camel_internet_address_new ();
  g_autoptr (CamelInternetAddress) to = camel_internet_address_new ();
  g_autoptr (CamelInternetAddress) cc = camel_internet_address_new ();
  g_autoptr (CamelInternetAddress) bcc = camel_internet_address_new ();
  g_autoptr (CamelInternetAddress) all = camel_internet_address_new ();
  g_autoptr (CamelMimePart) body = NULL;
  g_autofree char *flowed = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *subject = NULL;
  const char *domain;

  if (!kontor_mail_compose_address_is_valid (sender->address))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The sender “%s” is not an e-mail address"), sender->address);
      return NULL;
    }
  if (!add_addresses (to, all, (const char *const *) fields->to, draft, error) ||
      !add_addresses (cc, all, (const char *const *) fields->cc, draft, error) ||
      !add_addresses (bcc, all, (const char *const *) fields->bcc, draft, error))
    return NULL;
  if (!draft && camel_address_length (CAMEL_ADDRESS (all)) == 0)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The message has no recipient"));
      return NULL;
    }

  camel_internet_address_add (from, sender->name, sender->address);
  kontor_mail_compose_set_address_header (message, "From", from);
  kontor_mail_compose_set_address_header (message, "To", to);
  kontor_mail_compose_set_address_header (message, "Cc", cc);
  if (draft)
    kontor_mail_compose_set_address_header (message, "Bcc", bcc);
  subject =
    fields->subject == NULL ? g_strdup ("") : kontor_mail_compose_encode_words (fields->subject);
  camel_medium_set_header (CAMEL_MEDIUM (message), "Subject", subject);
  camel_mime_message_set_date (message, CAMEL_MESSAGE_DATE_CURRENT, 0);
  domain = strrchr (sender->address, '@') + 1;
  message_id = camel_header_msgid_generate (domain);
  camel_mime_message_set_message_id (message, message_id);
  set_message_ids (message, "In-Reply-To", fields->in_reply_to);
  set_message_ids (message, "References", fields->references);
  camel_medium_set_header (CAMEL_MEDIUM (message), "User-Agent", "Kontor");

  flowed = kontor_mail_compose_flow_text (fields->body ? fields->body : "");
  body = text_part_new (flowed, "text/plain; charset=UTF-8; format=flowed");
  if (fields->html_body != NULL)
    {
      g_autoptr (CamelMultipart) alternative = multipart_new ("multipart/alternative");
      g_autoptr (CamelMimePart) html_text =
        text_part_new (fields->html_body, "text/html; charset=UTF-8");
      g_autoptr (CamelMimePart) html =
        kontor_mail_compose_related_new (html_text, (const char *const *) fields->inline_images,
                                         (const char *const *) fields->inline_ids, error);

      if (html == NULL)
        return NULL;
      camel_multipart_add_part (alternative, body);
      camel_multipart_add_part (alternative, html);
      g_object_unref (body);
      body = camel_mime_part_new ();
      camel_medium_set_content (CAMEL_MEDIUM (body), CAMEL_DATA_WRAPPER (alternative));
    }

  if (fields->attachments != NULL && fields->attachments[0] != NULL)
    {
      g_autoptr (CamelMultipart) mixed = multipart_new ("multipart/mixed");

      camel_multipart_add_part (mixed, body);
      for (guint i = 0; fields->attachments[i] != NULL; i++)
        {
          g_autoptr (CamelMimePart) part =
            attachment_part_new (fields->attachments[i], cancellable, error);

          if (part == NULL)
            return NULL;
          camel_multipart_add_part (mixed, part);
        }
      camel_medium_set_content (CAMEL_MEDIUM (message), CAMEL_DATA_WRAPPER (mixed));
    }
  else
    {
      CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (body));

      camel_medium_set_content (CAMEL_MEDIUM (message), content);
      camel_mime_part_set_encoding (CAMEL_MIME_PART (message), camel_mime_part_get_encoding (body));
    }

  if (out_recipients != NULL)
    *out_recipients = g_steal_pointer (&all);
  return g_steal_pointer (&message);
}

/**
 * kontor_mail_compose_build:
 * @out_recipients: (out) (optional): every recipient, Bcc included, for the envelope
 *
 * Returns: (transfer full): the message, or %NULL with KONTOR_ERROR_INVALID_ARGUMENT
 *   (an address that is not one, no recipient) or NOT_FOUND (an attachment)
 */
CamelMimeMessage *
kontor_mail_compose_build (const KontorMailComposeFields *fields,
                           const KontorMailSender *sender,
                           CamelInternetAddress **out_recipients,
                           GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (fields != NULL && sender != NULL, NULL);
  return build (fields, sender, FALSE, out_recipients, cancellable, error);
}

/**
 * kontor_mail_compose_build_draft:
 *
 * The message to store in a Drafts folder: Bcc stays in the headers, and recipients
 * may be missing or half typed.
 *
 * Returns: (transfer full): the message, or %NULL with KONTOR_ERROR_INVALID_ARGUMENT (the
 *   sender) or NOT_FOUND (an attachment)
 */
CamelMimeMessage *
kontor_mail_compose_build_draft (const KontorMailComposeFields *fields,
                                 const KontorMailSender *sender,
                                 GCancellable *cancellable,
                                 GError **error)
{
  g_return_val_if_fail (fields != NULL && sender != NULL, NULL);
  return build (fields, sender, TRUE, NULL, cancellable, error);
}
