/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-compose-text.c: the text of a new message as it is written: the body as
 * format=flowed (RFC 3676), and headers and file names in UTF-8 (RFC 2047 words,
 * RFC 2231 parameters), which Camel would write in the smallest legacy charset. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-compose-private.h"

#define FLOWED_WIDTH 72

/* format=flowed ------------------------------------------------------------------ */

/* One output line: quote marks, the stuffing space where a reader would otherwise
 * take the line's start for something else, then the text. */
static void
append_flowed_line (GString *out, guint depth, const char *text, gsize length)
{
  for (guint i = 0; i < depth; i++)
    g_string_append_c (out, '>');
  if (length > 0 && (depth > 0 || text[0] == ' ' || text[0] == '>' ||
                     (length >= 5 && strncmp (text, "From ", 5) == 0)))
    g_string_append_c (out, ' ');
  g_string_append_len (out, text, length);
  g_string_append_c (out, '\n');
}

/* Cuts @text (one line, no trailing spaces) after spaces so that each piece fits in
 * FLOWED_WIDTH characters with its prefix; a piece ending in a space is a soft break.
 * A word longer than the width stays whole. */
static void
append_flowed_paragraph (GString *out, guint depth, const char *text)
{
  guint prefix = depth + 1;

  while ((guint) g_utf8_strlen (text, -1) + prefix > FLOWED_WIDTH)
    {
      const char *cut = NULL;
      guint column = prefix;

      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), column++)
        {
          if (*p == ' ' && p != text)
            {
              if (column < FLOWED_WIDTH || cut == NULL)
                cut = p;
              if (column >= FLOWED_WIDTH)
                break;
            }
        }
      if (cut == NULL || cut[1] == '\0')
        break;
      append_flowed_line (out, depth, text, cut + 1 - text);
      text = cut + 1;
    }
  append_flowed_line (out, depth, text, strlen (text));
}

/**
 * kontor_mail_compose_flow_text:
 * @text: plain text, lines separated by "\n" (or "\r\n")
 *
 * Lines starting with ">" are quotes (a reply's quoted text): their depth is kept and
 * their continuation lines get the same quote marks. Trailing spaces of the lines are
 * dropped (in format=flowed they would mean a soft break), except in the signature
 * separator "-- ".
 *
 * Returns: (transfer full): @text as format=flowed lines, each ending in "\n"
 */
char *
kontor_mail_compose_flow_text (const char *text)
{
  g_auto (GStrv) lines = NULL;
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  /* A final newline ends the last line; it does not start another one. */
  if (n > 0 && *lines[n - 1] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      char *line = lines[i];
      gsize length = strlen (line);
      guint depth = 0;

      if (length > 0 && line[length - 1] == '\r')
        line[--length] = '\0';
      if (g_str_equal (line, "-- "))
        {
          g_string_append (out, "-- \n");
          continue;
        }
      while (line[depth] == '>')
        depth++;
      line += depth;
      if (depth > 0 && *line == ' ')
        line++;
      g_strchomp (line);
      append_flowed_paragraph (out, depth, line);
    }
  return g_string_free (out, FALSE);
}

/* Headers in UTF-8 ------------------------------------------------------------ */

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* RFC 2047: @text as base64 encoded-words in UTF-8 (Camel would pick the smallest
 * charset, often ISO-8859-1), each at most 75 characters and cut between characters,
 * folded onto continuation lines. */
static char *
encode_words (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *start = text;

  while (*start != '\0')
    {
      const char *end = start;
      g_autofree char *base64 = NULL;

      /* 45 bytes make 60 base64 characters: 72 with "=?UTF-8?B?" and "?=". */
      while (*end != '\0' && g_utf8_next_char (end) - start <= 45)
        end = g_utf8_next_char (end);
      base64 = g_base64_encode ((const guchar *) start, end - start);
      if (out->len > 0)
        g_string_append (out, "\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", base64);
      start = end;
    }
  return g_string_free (out, FALSE);
}

/* A mailbox for a header: the name encoded when not ASCII, quoted when it has specials. */
static char *
format_mailbox (const char *name, const char *address)
{
  g_autofree char *phrase = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup (address);
  if (!is_ascii (name))
    phrase = encode_words (name);
  else if (strpbrk (name, "()<>[]:;@\\,.\"") != NULL)
    {
      g_autofree char *escaped = g_strescape (name, NULL);

      phrase = g_strdup_printf ("\"%s\"", escaped);
    }
  else
    phrase = g_strdup (name);
  return g_strdup_printf ("%s <%s>", phrase, address);
}

void
kontor_mail_compose_set_address_header (CamelMimeMessage *message,
                                        const char *header,
                                        CamelInternetAddress *addresses)
{
  g_autoptr (GString) value = g_string_new (NULL);
  const char *name, *address;

  for (int i = 0; camel_internet_address_get (addresses, i, &name, &address); i++)
    {
      g_autofree char *mailbox = format_mailbox (name, address);

      if (value->len > 0)
        g_string_append (value, ",\n ");
      g_string_append (value, mailbox);
    }
  if (value->len > 0)
    camel_medium_set_header (CAMEL_MEDIUM (message), header, value->str);
}

/* RFC 2231 in UTF-8 for a non-ASCII file name, in both places readers look for it
 * (Camel would pick the smallest charset here too). */
void
kontor_mail_compose_set_filename (CamelMimePart *part, const char *name)
{
  CamelContentType *content_type = camel_mime_part_get_content_type (part);
  const char *charset = camel_content_type_param (content_type, "charset");
  g_autofree char *simple = camel_content_type_simple (content_type);
  g_autoptr (GString) value = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *type = NULL;

  camel_mime_part_set_filename (part, name);
  if (is_ascii (name))
    return;
  value = g_string_new ("UTF-8''");
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || strchr ("!#$&+-.^_`|~", *p) != NULL)
      g_string_append_c (value, *p);
    else
      g_string_append_printf (value, "%%%02X", *p);
  disposition = g_strdup_printf ("attachment; filename*=%s", value->str);
  type = charset != NULL ? g_strdup_printf ("%s; charset=%s; name*=%s", simple, charset, value->str)
                         : g_strdup_printf ("%s; name*=%s", simple, value->str);
  camel_medium_set_header (CAMEL_MEDIUM (part), "Content-Disposition", disposition);
  camel_medium_set_header (CAMEL_MEDIUM (part), "Content-Type", type);
}

/* @text as it goes in a header: itself when ASCII, else RFC 2047 words in UTF-8. */
char *
kontor_mail_compose_encode_words (const char *text)
{
  return is_ascii (text) ? g_strdup (text) : encode_words (text);
}
