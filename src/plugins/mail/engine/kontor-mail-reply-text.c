/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reply-text.c: the words of a reply or forward: the subject with one
 * "Re:" or "Fwd:", the attribution and quote, the forwarded headers. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kontor-mail-reply-private.h"

/* Subjects */

/* "Re:" is Latin and RFC 5322 says it is never translated, but some mailers do. */
static const char *const reply_prefixes[] = { "re", "aw", "sv", "antw", NULL };
static const char *const forward_prefixes[] = { "fwd", "fw", "wg", NULL };

/* The length of one prefix at @p ("Re:", "RE[2]:", "Aw :", "Re："), or 0. */
static gsize
prefix_length (const char *p, const char *const *prefixes)
{
  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      gsize n = strlen (prefixes[i]);
      const char *q = p + n;

      if (g_ascii_strncasecmp (p, prefixes[i], n) != 0)
        continue;
      if (*q == '[' || *q == '(')
        {
          const char *d = q + 1;

          while (g_ascii_isdigit (*d))
            d++;
          if (d == q + 1 || *d != (*q == '[' ? ']' : ')'))
            continue;
          q = d + 1;
        }
      while (*q == ' ')
        q++;
      if (*q == ':')
        return q + 1 - p;
      if (g_str_has_prefix (q, "\xef\xbc\x9a")) /* FULLWIDTH COLON, in CJK mail */
        return q + 3 - p;
    }
  return 0;
}

static gboolean
is_forward (KontorMailReplyMode mode)
{
  return mode == KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE ||
         mode == KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT;
}

/**
 * kontor_mail_reply_dup_subject:
 * @subject: (nullable): the subject of the message answered or forwarded
 * @mode: what is done with it
 *
 * Returns: (transfer full): "Re: " or "Fwd: " and @subject without the prefixes that
 *   the same action added before ("Re: AW: RE[2]: x" answered is "Re: x")
 */
char *
kontor_mail_reply_dup_subject (const char *subject, KontorMailReplyMode mode)
{
  const char *const *prefixes = is_forward (mode) ? forward_prefixes : reply_prefixes;
  const char *prefix = is_forward (mode) ? "Fwd:" : "Re:";
  g_autofree char *line = g_strdup (subject ? subject : "");
  const char *p = line;
  gsize n;

  for (char *c = line; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      *c = ' ';

  for (;;)
    {
      while (g_ascii_isspace (*p))
        p++;
      if ((n = prefix_length (p, prefixes)) == 0)
        break;
      p += n;
    }

  g_strchomp ((char *) p);
  if (*p == '\0')
    return g_strdup (prefix);
  return g_strconcat (prefix, " ", p, NULL);
}

/* Quoting */

static gboolean
is_blank (const char *line)
{
  for (const char *c = line; *c; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

/**
 * kontor_mail_reply_quote:
 * @text: the readable text of a message
 *
 * Quotes @text for a reply: "> " before each line, ">" before lines that were quotes
 * already (so "> x" becomes ">> x") and alone on empty lines, and the signature (from
 * a "-- " line on) left out.
 *
 * Returns: (transfer full): the quote, each line ending in "\n"; empty for no text
 */
char *
kontor_mail_reply_quote (const char *text)
{
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint first = 0;
  guint end;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (end = 0; lines[end] != NULL; end++)
    {
      gsize len = strlen (lines[end]);

      if (len > 0 && lines[end][len - 1] == '\r')
        lines[end][len - 1] = '\0';
      if (strcmp (lines[end], "-- ") == 0)
        break;
    }

  while (first < end && is_blank (lines[first]))
    first++;
  while (end > first && is_blank (lines[end - 1]))
    end--;

  for (guint i = first; i < end; i++)
    {
      const char *line = lines[i];

      if (line[0] == '>')
        g_string_append_printf (out, ">%s\n", line);
      else if (line[0] == '\0')
        g_string_append (out, ">\n");
      else
        g_string_append_printf (out, "> %s\n", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Bodies */

static char *
format_date (gint64 date)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (date);
  g_autoptr (GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return NULL;
  /* Translators: the date of a message answered or forwarded, in the notation of
   * g_date_time_format(): "Tue, 21 Apr 2020 at 15:40" */
  return g_date_time_format (local, C_ ("mail date", "%a, %-d %b %Y at %H:%M"));
}

/* An attribution line ("On <date>, <name> wrote:") and the quoted text. */
char *
kontor_mail_reply_build_body (KontorMailContent *content, const char *name)
{
  g_autofree char *date = content->date != 0 ? format_date (content->date) : NULL;
  g_autofree char *quote = kontor_mail_reply_quote (content->text);
  g_autofree char *attribution = NULL;

  if (date != NULL && name != NULL)
    /* Translators: above a reply's quote: "On <date>, <sender> wrote:" */
    attribution = g_strdup_printf (_ ("On %s, %s wrote:"), date, name);
  else if (date != NULL)
    /* Translators: above a reply's quote, when the message has no sender */
    attribution = g_strdup_printf (_ ("On %s, someone wrote:"), date);
  else if (name != NULL)
    /* Translators: above a reply's quote, when the message has no date */
    attribution = g_strdup_printf (_ ("%s wrote:"), name);

  if (attribution == NULL)
    return g_steal_pointer (&quote);
  return g_strconcat (attribution, "\n", quote, NULL);
}

static void
append_header (GString *out, const char *label, const char *value)
{
  if (value != NULL && *value != '\0')
    g_string_append_printf (out, "%s: %s\n", label, value);
}

/* The original headers, then its text as it was. */
char *
kontor_mail_reply_build_forward_body (KontorMailContent *content)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *date = content->date != 0 ? format_date (content->date) : NULL;
  gsize len = strlen (content->text);

  g_string_append_printf (out, "-------- %s --------\n", _ ("Forwarded Message"));
  append_header (out, C_ ("mail header", "Subject"), content->subject);
  append_header (out, C_ ("mail header", "Date"), date);
  append_header (out, C_ ("mail header", "From"), content->from);
  append_header (out, C_ ("mail header", "To"), content->to);
  append_header (out, C_ ("mail header", "Cc"), content->cc);
  g_string_append_c (out, '\n');

  while (len > 0 && g_ascii_isspace (content->text[len - 1]))
    len--;
  if (len > 0)
    {
      g_string_append_len (out, content->text, len);
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
