/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-mailto.c: reads a mailto: link from a web page, another application or
 * Mail1 into a draft. Links come from strangers: only what RFC 6068 lets a link say
 * is taken, and nothing that would reach the user's files or other headers. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-mailto.h"

/* Percent-decoding as RFC 6068 wants it: UTF-8 after decoding, "+" is a plus. */
static char *
unescape (const char *text, gsize length, GError **error)
{
  g_autofree char *escaped = g_strndup (text, length);
  g_autofree char *decoded = g_uri_unescape_segment (escaped, NULL, NULL);

  /* NULL for a bad "%" sequence and for an encoded NUL. */
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    {
      g_set_error_literal (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                           _ ("The mailto: link is not correctly encoded"));
      return NULL;
    }
  return g_steal_pointer (&decoded);
}

static void
add_addresses (KontorMailDraft *draft, KontorMailDraftField field, const char *list)
{
  g_autoptr (CamelInternetAddress) addresses = camel_internet_address_new ();

  if (camel_address_decode (CAMEL_ADDRESS (addresses), list) > 0)
    kontor_mail_draft_add_recipients (draft, field, addresses);
}

/* Subjects and message ids are one header line; a body keeps its lines as "\n". */
static char *
one_line (const char *value)
{
  char *line = g_strdup (value);

  for (char *c = line; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      *c = ' ';
  return g_strstrip (line);
}

static char *
normalize_newlines (const char *value)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *c = value; *c; c++)
    {
      if (c[0] == '\r' && c[1] == '\n')
        continue;
      g_string_append_c (out, *c == '\r' ? '\n' : *c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* One "<id>", or NULL. */
static char *
dup_message_id (const char *value)
{
  g_autofree char *id = one_line (value);
  gsize len = strlen (id);

  if (len < 3 || id[0] != '<' || id[len - 1] != '>')
    return NULL;
  for (gsize i = 1; i < len - 1; i++)
    if (id[i] == '<' || id[i] == '>' || g_ascii_isspace (id[i]))
      return NULL;
  return g_steal_pointer (&id);
}

static void
apply_field (KontorMailDraft *draft, const char *name, const char *value, gboolean *seen)
{
  /* "attach", "attachment" and the like name local files: a link could mail them away
   * unnoticed. Other headers ("from", "bcc" aside) are not the link's to set either. */
  if (g_ascii_strcasecmp (name, "to") == 0)
    add_addresses (draft, KONTOR_MAIL_DRAFT_TO, value);
  else if (g_ascii_strcasecmp (name, "cc") == 0)
    add_addresses (draft, KONTOR_MAIL_DRAFT_CC, value);
  else if (g_ascii_strcasecmp (name, "bcc") == 0)
    add_addresses (draft, KONTOR_MAIL_DRAFT_BCC, value);
  else if (g_ascii_strcasecmp (name, "subject") == 0 && !seen[0])
    {
      g_free (draft->subject);
      draft->subject = one_line (value);
      seen[0] = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "body") == 0 && !seen[1])
    {
      g_free (draft->body);
      draft->body = normalize_newlines (value);
      seen[1] = TRUE;
    }
  else if (g_ascii_strcasecmp (name, "in-reply-to") == 0 && draft->in_reply_to == NULL)
    {
      draft->in_reply_to = dup_message_id (value);
      draft->references = g_strdup (draft->in_reply_to);
    }
}

/**
 * kontor_mail_mailto_parse:
 * @uri: a mailto: URI
 * @error: return location for a #GError
 *
 * Reads @uri as RFC 6068 defines it: the addresses of its path and of its "to" fields
 * go to To, and "cc", "bcc", "subject", "body" and "in-reply-to" fill the rest (field
 * names in any case; the first subject, body and in-reply-to count). Other fields are
 * ignored, "attach" and "attachment" on purpose: a link must not pick the user's files.
 *
 * Returns: (transfer full): the draft, without identity and attachments, or %NULL with
 *   @error set (%KONTOR_ERROR_INVALID_ARGUMENT) when @uri is no mailto: URI or not
 *   correctly percent-encoded UTF-8
 */
KontorMailDraft *
kontor_mail_mailto_parse (const char *uri, GError **error)
{
  g_autoptr (KontorMailDraft) draft = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *path = NULL;
  g_auto (GStrv) fields = NULL;
  const char *rest;
  const char *query;
  gboolean seen[2] = { FALSE, FALSE };

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (uri));
  if (g_ascii_strncasecmp (trimmed, "mailto:", 7) != 0)
    {
      g_set_error_literal (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                           _ ("The link is not a mailto: link"));
      return NULL;
    }

  rest = trimmed + 7;
  query = strchr (rest, '?');
  draft = kontor_mail_draft_new ();

  path = unescape (rest, query ? (gsize) (query - rest) : strlen (rest), error);
  if (path == NULL)
    return NULL;
  add_addresses (draft, KONTOR_MAIL_DRAFT_TO, path);

  fields = g_strsplit (query ? query + 1 : "", "&", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *equals = strchr (fields[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (equals == NULL)
        continue;
      name = unescape (fields[i], equals - fields[i], error);
      if (name == NULL)
        return NULL;
      value = unescape (equals + 1, strlen (equals + 1), error);
      if (value == NULL)
        return NULL;
      apply_field (draft, name, value, seen);
    }

  return g_steal_pointer (&draft);
}
