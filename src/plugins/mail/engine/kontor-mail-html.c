/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-html.c: a small HTML tokenizer and what the reader builds on it: HTML to
 * text, text to HTML, format=flowed, remote-content detection and the reader document. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-html.h"

#define MAX_QUOTE_DEPTH 16
#define MAX_LIST_DEPTH  16

/* Entities */

typedef struct
{
  const char *name;
  gunichar ch;
} Entity;

/* Names for U+00A0..U+00FF, in order. */
static const char *const latin1_entities[] = {
  "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
  "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
  "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
  "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
  "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
  "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
  "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
  "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
  "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
  "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
  "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

static const Entity other_entities[] = {
  { "amp", '&' },       { "lt", '<' },        { "gt", '>' },        { "quot", '"' },
  { "apos", '\'' },     { "OElig", 0x152 },   { "oelig", 0x153 },   { "Scaron", 0x160 },
  { "scaron", 0x161 },  { "Yuml", 0x178 },    { "fnof", 0x192 },    { "circ", 0x2c6 },
  { "tilde", 0x2dc },   { "ensp", 0x2002 },   { "emsp", 0x2003 },   { "thinsp", 0x2009 },
  { "zwnj", 0x200c },   { "zwj", 0x200d },    { "lrm", 0x200e },    { "rlm", 0x200f },
  { "ndash", 0x2013 },  { "mdash", 0x2014 },  { "lsquo", 0x2018 },  { "rsquo", 0x2019 },
  { "sbquo", 0x201a },  { "ldquo", 0x201c },  { "rdquo", 0x201d },  { "bdquo", 0x201e },
  { "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 },   { "hellip", 0x2026 },
  { "permil", 0x2030 }, { "prime", 0x2032 },  { "Prime", 0x2033 },  { "lsaquo", 0x2039 },
  { "rsaquo", 0x203a }, { "oline", 0x203e },  { "euro", 0x20ac },   { "trade", 0x2122 },
  { "larr", 0x2190 },   { "uarr", 0x2191 },   { "rarr", 0x2192 },   { "darr", 0x2193 },
  { "harr", 0x2194 },   { "rArr", 0x21d2 },   { "hArr", 0x21d4 },   { "minus", 0x2212 },
  { "infin", 0x221e },  { "asymp", 0x2248 },  { "ne", 0x2260 },     { "equiv", 0x2261 },
  { "le", 0x2264 },     { "ge", 0x2265 },     { "hearts", 0x2665 }, { "check", 0x2713 },
  { "alpha", 0x3b1 },   { "beta", 0x3b2 },    { "gamma", 0x3b3 },   { "delta", 0x3b4 },
  { "epsilon", 0x3b5 }, { "lambda", 0x3bb },  { "mu", 0x3bc },      { "pi", 0x3c0 },
  { "sigma", 0x3c3 },   { "omega", 0x3c9 },   { "Delta", 0x394 },   { "Omega", 0x3a9 },
};

/* What &#128;..&#159; mean in HTML: windows-1252, not C1 controls. */
static const gunichar c1_replacements[32] = {
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
  0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
  0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static gunichar
lookup_entity (const char *name, gsize length)
{
  for (guint i = 0; i < G_N_ELEMENTS (latin1_entities); i++)
    if (strlen (latin1_entities[i]) == length && strncmp (latin1_entities[i], name, length) == 0)
      return 0xa0 + i;

  for (guint i = 0; i < G_N_ELEMENTS (other_entities); i++)
    if (strlen (other_entities[i].name) == length &&
        strncmp (other_entities[i].name, name, length) == 0)
      return other_entities[i].ch;

  return 0;
}

/* Decodes one character reference at @p (which points at '&'); returns the number of
 * bytes used, 0 when it is not a reference. */
static gsize
decode_entity (const char *p, const char *end, gunichar *out)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    {
      gboolean hex = FALSE;
      guint64 value = 0;
      const char *digits;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      digits = q;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          if (value < 0x110000)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : *q - '0');
          q++;
        }
      if (q == digits)
        return 0;
      if (q < end && *q == ';')
        q++;

      if (value >= 0x80 && value < 0xa0)
        *out = c1_replacements[value - 0x80];
      else if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value < 0xe000))
        *out = 0xfffd;
      else
        *out = (gunichar) value;
      return q - p;
    }
  else
    {
      const char *name = q;
      gunichar ch;

      while (q < end && q - name < 32 && g_ascii_isalnum (*q))
        q++;
      if (q == name)
        return 0;
      ch = lookup_entity (name, q - name);
      if (ch == 0)
        return 0;
      if (q < end && *q == ';')
        q++;
      *out = ch;
      return q - p;
    }
}

static void
append_decoded (GString *out, const char *text, gsize length)
{
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      gunichar ch;
      gsize used;

      if (amp == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, amp - p);
      used = decode_entity (amp, end, &ch);
      if (used == 0)
        {
          g_string_append_c (out, '&');
          p = amp + 1;
        }
      else
        {
          g_string_append_unichar (out, ch);
          p = amp + used;
        }
    }
}

/* Tokenizer: good enough to find tags, attributes and text the way a browser would in
 * the cases mail produces; it never fails, whatever the input. */

typedef enum
{
  TOKEN_EOF,
  TOKEN_TEXT,
  TOKEN_START,
  TOKEN_END,
  TOKEN_OTHER, /* comment, doctype, processing instruction */
} TokenKind;

typedef struct
{
  const char *p;
  const char *end;
  char raw_tag[16]; /* inside <script>, <style>...: text up to its end tag */

  TokenKind kind;
  const char *start;
  const char *stop;
  char name[16]; /* lower case, truncated */
  const char *attrs;
  const char *attrs_end;
  gboolean raw; /* text of a raw-text element */
} Tokenizer;

static const char *const raw_text_elements[] = {
  "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
};

static const char *const void_elements[] = {
  "area",  "base", "br",   "col",   "embed",  "hr",    "img",
  "input", "link", "meta", "param", "source", "track", "wbr",
};

/* Elements whose end tag may be left out: a sibling or the container ends them. */
static const char *const implied_end_elements[] = {
  "p", "li", "td", "th", "tr", "dt", "dd", "option",
};

static const char *const container_elements[] = {
  "tr", "table", "tbody", "thead", "tfoot", "ul", "ol", "dl", "select", "body", "div",
};

static gboolean
name_in (const char *name, const char *const *names, gsize n_names)
{
  for (gsize i = 0; i < n_names; i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
tokenizer_init (Tokenizer *t, const char *html, gsize length)
{
  memset (t, 0, sizeof *t);
  t->p = html;
  t->end = html + length;
}

static const char *
find_ci (const char *p, const char *end, const char *needle)
{
  gsize n = strlen (needle);

  for (; p + n <= end; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;
  return NULL;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean
tokenizer_next (Tokenizer *t)
{
  const char *p = t->p;

  t->raw = FALSE;
  t->name[0] = '\0';
  t->attrs = t->attrs_end = NULL;

  if (p >= t->end)
    {
      t->kind = TOKEN_EOF;
      return FALSE;
    }

  if (t->raw_tag[0] != '\0')
    {
      const char *q = p;
      gsize n = strlen (t->raw_tag);

      for (;;)
        {
          q = find_ci (q, t->end, "</");
          if (q == NULL)
            {
              q = t->end;
              break;
            }
          if (q + 2 + n <= t->end && g_ascii_strncasecmp (q + 2, t->raw_tag, n) == 0 &&
              (q + 2 + n == t->end || is_space (q[2 + n]) || q[2 + n] == '>' || q[2 + n] == '/'))
            break;
          q += 2;
        }
      t->raw_tag[0] = '\0';
      if (q > p)
        {
          t->kind = TOKEN_TEXT;
          t->raw = TRUE;
          t->start = p;
          t->stop = t->p = q;
          return TRUE;
        }
    }

  t->start = p;

  if (*p == '<' && p + 1 < t->end)
    {
      gboolean is_end = p[1] == '/';
      const char *q = p + (is_end ? 2 : 1);

      if (q < t->end && g_ascii_isalpha (*q))
        {
          gsize n = 0;

          while (q < t->end && !is_space (*q) && *q != '/' && *q != '>')
            {
              if (n < sizeof t->name - 1)
                t->name[n++] = g_ascii_tolower (*q);
              q++;
            }
          t->name[n] = '\0';
          t->attrs = q;
          while (q < t->end && *q != '>')
            {
              if (*q == '=')
                {
                  q++;
                  while (q < t->end && is_space (*q))
                    q++;
                  if (q < t->end && (*q == '"' || *q == '\''))
                    {
                      const char *close = memchr (q + 1, *q, t->end - q - 1);
                      q = close ? close + 1 : t->end;
                    }
                  continue;
                }
              q++;
            }
          t->attrs_end = q;
          t->stop = t->p = q < t->end ? q + 1 : t->end;
          t->kind = is_end ? TOKEN_END : TOKEN_START;

          if (!is_end && name_in (t->name, raw_text_elements, G_N_ELEMENTS (raw_text_elements)))
            g_strlcpy (t->raw_tag, t->name, sizeof t->raw_tag);
          return TRUE;
        }

      if (p[1] == '!' || p[1] == '?' || is_end)
        {
          const char *close;

          if (p + 4 <= t->end && strncmp (p, "<!--", 4) == 0)
            {
              close = find_ci (p + 2, t->end, "-->");
              t->stop = close ? close + 3 : t->end;
            }
          else
            {
              close = memchr (p, '>', t->end - p);
              t->stop = close ? close + 1 : t->end;
            }
          t->kind = TOKEN_OTHER;
          t->p = t->stop;
          return TRUE;
        }
    }

  /* Text up to the next '<' that could start markup. */
  {
    const char *q = p + 1;

    while (q < t->end && *q != '<')
      q++;
    t->kind = TOKEN_TEXT;
    t->stop = t->p = q;
  }
  return TRUE;
}

/* Iterates the attributes of the current tag; @name gets the lower-case name and @value
 * the value with character references decoded. */
static gboolean
next_attribute (const char **pp, const char *end, GString *name, GString *value)
{
  const char *p = *pp;
  const char *start;

  g_string_truncate (name, 0);
  g_string_truncate (value, 0);

  while (p < end && (is_space (*p) || *p == '/'))
    p++;
  if (p >= end)
    {
      *pp = p;
      return FALSE;
    }

  start = p;
  while (p < end && !is_space (*p) && *p != '/' && (*p != '=' || p == start))
    {
      g_string_append_c (name, g_ascii_tolower (*p));
      p++;
    }
  while (p < end && is_space (*p))
    p++;
  if (p < end && *p == '=')
    {
      p++;
      while (p < end && is_space (*p))
        p++;
      if (p < end && (*p == '"' || *p == '\''))
        {
          const char *close = memchr (p + 1, *p, end - p - 1);
          const char *vend = close ? close : end;

          append_decoded (value, p + 1, vend - p - 1);
          p = close ? close + 1 : end;
        }
      else
        {
          start = p;
          while (p < end && !is_space (*p))
            p++;
          append_decoded (value, start, p - start);
        }
    }

  *pp = p;
  return TRUE;
}

/* Returns the decoded value of attribute @wanted of the current tag, or NULL. */
static char *
tokenizer_dup_attribute (Tokenizer *t, const char *wanted)
{
  g_autoptr (GString) name = g_string_new (NULL);
  g_autoptr (GString) value = g_string_new (NULL);
  const char *p = t->attrs;

  if (p == NULL)
    return NULL;

  while (next_attribute (&p, t->attrs_end, name, value))
    if (strcmp (name->str, wanted) == 0)
      return g_strdup (value->str);

  return NULL;
}

/* HTML to text */

typedef struct
{
  GString *out;
  int quote_depth;
  int last_line_depth;
  int pre_depth;
  int pending; /* newlines wanted before the next text */
  gboolean space_pending;
  int lists[MAX_LIST_DEPTH]; /* 0 for a bullet list, else the next number */
  int n_lists;
  char skip_tag[16]; /* an element that is not shown (display:none, <head> content...) */
  int skip_nesting;
  char *link_href;
  gsize link_start;
} TextWriter;

static gboolean
writer_at_line_start (TextWriter *w)
{
  return w->out->len == 0 || w->out->str[w->out->len - 1] == '\n';
}

static void
writer_want_newlines (TextWriter *w, int n)
{
  if (w->out->len > 0)
    w->pending = MAX (w->pending, n);
  w->space_pending = FALSE;
}

static void
writer_append_prefix (TextWriter *w, int depth, gboolean bare)
{
  for (int i = 0; i < depth; i++)
    g_string_append_c (w->out, '>');
  if (depth > 0 && !bare)
    g_string_append_c (w->out, ' ');
}

static void
writer_flush_newlines (TextWriter *w)
{
  int existing = 0;

  for (gsize i = w->out->len; i > 0 && existing < 2; i--)
    {
      char c = w->out->str[i - 1];

      if (c == '\n')
        existing++;
      else if (c != '>' && c != ' ')
        break;
    }
  if (w->out->len == 0)
    existing = 2;

  for (int k = existing; k < w->pending; k++)
    {
      if (k > 0)
        writer_append_prefix (w, MIN (w->last_line_depth, w->quote_depth), TRUE);
      g_string_append_c (w->out, '\n');
    }
  w->pending = 0;
}

static void
writer_text (TextWriter *w, const char *text, gsize length)
{
  const char *p = text;
  const char *end = text + length;

  if (w->skip_nesting > 0)
    return;

  while (p < end)
    {
      gunichar ch = g_utf8_get_char_validated (p, end - p);
      const char *next = g_utf8_next_char (p);

      if (ch == (gunichar) -1 || ch == (gunichar) -2)
        {
          ch = 0xfffd;
          next = p + 1;
        }

      if (w->pre_depth > 0 && ch == '\n')
        {
          writer_flush_newlines (w);
          g_string_append_c (w->out, '\n');
        }
      else if (w->pre_depth == 0 &&
               (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'))
        {
          if (!writer_at_line_start (w) && w->pending == 0)
            w->space_pending = TRUE;
        }
      else if (ch != '\r')
        {
          writer_flush_newlines (w);
          if (writer_at_line_start (w))
            {
              writer_append_prefix (w, w->quote_depth, FALSE);
              w->last_line_depth = w->quote_depth;
            }
          else if (w->space_pending)
            g_string_append_c (w->out, ' ');
          w->space_pending = FALSE;
          g_string_append_unichar (w->out, ch == 0xa0 ? ' ' : ch);
        }
      p = next;
    }
}

static gboolean
style_hides (const char *style)
{
  g_autoptr (GString) compact = g_string_new (NULL);

  for (const char *p = style; *p; p++)
    if (!is_space (*p))
      g_string_append_c (compact, g_ascii_tolower (*p));

  return strstr (compact->str, "display:none") != NULL ||
         strstr (compact->str, "mso-hide:all") != NULL;
}

static void
writer_link_end (TextWriter *w)
{
  g_autofree char *href = g_steal_pointer (&w->link_href);
  const char *shown;
  const char *target;

  if (href == NULL || w->link_start > w->out->len)
    return;

  shown = w->out->str + w->link_start;
  target = href;
  if (g_ascii_strncasecmp (target, "mailto:", 7) == 0)
    target += 7;
  while (*shown == ' ' || *shown == '\n' || *shown == '>')
    shown++;
  if (*target == '\0' || *shown == '\0' || g_strstr_len (shown, -1, target) != NULL)
    return;
  if (g_str_has_suffix (target, "/"))
    {
      g_autofree char *trimmed = g_strndup (target, strlen (target) - 1);
      if (g_strstr_len (shown, -1, trimmed) != NULL)
        return;
    }

  if (writer_at_line_start (w))
    writer_append_prefix (w, w->quote_depth, FALSE);
  else
    g_string_append_c (w->out, ' ');
  g_string_append_c (w->out, '<');
  g_string_append (w->out, target);
  g_string_append_c (w->out, '>');
}

static void
writer_tag (TextWriter *w, Tokenizer *t)
{
  const char *name = t->name;
  gboolean start = t->kind == TOKEN_START;

  if (w->skip_nesting > 0)
    {
      if (strcmp (name, w->skip_tag) != 0)
        {
          /* A hidden cell or item also ends where its row or list does. */
          if (!start &&
              name_in (w->skip_tag, implied_end_elements, G_N_ELEMENTS (implied_end_elements)) &&
              name_in (name, container_elements, G_N_ELEMENTS (container_elements)))
            w->skip_nesting = 0;
          else
            return;
        }
      else if (start && w->skip_nesting == 1 &&
               name_in (name, implied_end_elements, G_N_ELEMENTS (implied_end_elements)))
        w->skip_nesting = 0; /* <li hidden>...<li> starts a new, maybe visible, item */
      else
        {
          w->skip_nesting += start ? 1 : -1;
          return;
        }
    }

  if (start && !name_in (name, void_elements, G_N_ELEMENTS (void_elements)))
    {
      g_autofree char *style = tokenizer_dup_attribute (t, "style");
      g_autofree char *hidden = tokenizer_dup_attribute (t, "hidden");

      if ((style != NULL && style_hides (style)) || hidden != NULL ||
          strcmp (name, "template") == 0)
        {
          g_strlcpy (w->skip_tag, name, sizeof w->skip_tag);
          w->skip_nesting = 1;
          return;
        }
    }

  if (strcmp (name, "br") == 0)
    {
      writer_flush_newlines (w);
      g_string_append_c (w->out, '\n');
      w->space_pending = FALSE;
    }
  else if (strcmp (name, "p") == 0 || strcmp (name, "table") == 0 || strcmp (name, "hr") == 0 ||
           strcmp (name, "dl") == 0 ||
           (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0'))
    writer_want_newlines (w, 2);
  else if (strcmp (name, "pre") == 0)
    {
      writer_want_newlines (w, 2);
      w->pre_depth = MAX (0, w->pre_depth + (start ? 1 : -1));
    }
  else if (strcmp (name, "blockquote") == 0)
    {
      writer_want_newlines (w, 1);
      w->quote_depth = CLAMP (w->quote_depth + (start ? 1 : -1), 0, MAX_QUOTE_DEPTH);
    }
  else if (strcmp (name, "ul") == 0 || strcmp (name, "ol") == 0)
    {
      if (start && w->n_lists < MAX_LIST_DEPTH)
        w->lists[w->n_lists++] = name[0] == 'o' ? 1 : 0;
      else if (!start && w->n_lists > 0)
        w->n_lists--;
      /* A list is a paragraph; a nested one only starts a line. */
      writer_want_newlines (w, w->n_lists <= (start ? 1 : 0) ? 2 : 1);
    }
  else if (strcmp (name, "li") == 0)
    {
      writer_want_newlines (w, 1);
      if (start)
        {
          g_autofree char *marker = NULL;
          int level = MAX (w->n_lists, 1);

          if (w->n_lists > 0 && w->lists[w->n_lists - 1] > 0)
            marker = g_strdup_printf ("%d.", w->lists[w->n_lists - 1]++);
          else
            marker = g_strdup ("•");
          for (int i = 1; i < level; i++)
            writer_text (w, "\xc2\xa0\xc2\xa0", 4);
          writer_text (w, marker, strlen (marker));
          w->space_pending = TRUE;
        }
    }
  else if (strcmp (name, "td") == 0 || strcmp (name, "th") == 0)
    {
      if (start && !writer_at_line_start (w) && w->pending == 0)
        w->space_pending = TRUE;
    }
  else if (strcmp (name, "a") == 0)
    {
      writer_link_end (w);
      if (start)
        {
          g_autofree char *href = tokenizer_dup_attribute (t, "href");

          if (href != NULL && (g_ascii_strncasecmp (g_strstrip (href), "http", 4) == 0 ||
                               g_ascii_strncasecmp (href, "mailto:", 7) == 0))
            {
              w->link_href = g_steal_pointer (&href);
              w->link_start = w->out->len;
            }
        }
    }
  else if (strcmp (name, "div") == 0 || strcmp (name, "tr") == 0 || strcmp (name, "dt") == 0 ||
           strcmp (name, "dd") == 0 || strcmp (name, "address") == 0 ||
           strcmp (name, "center") == 0 || strcmp (name, "section") == 0 ||
           strcmp (name, "article") == 0 || strcmp (name, "header") == 0 ||
           strcmp (name, "footer") == 0 || strcmp (name, "nav") == 0 ||
           strcmp (name, "aside") == 0 || strcmp (name, "main") == 0 ||
           strcmp (name, "figure") == 0 || strcmp (name, "figcaption") == 0 ||
           strcmp (name, "form") == 0 || strcmp (name, "fieldset") == 0 ||
           strcmp (name, "caption") == 0 || strcmp (name, "details") == 0 ||
           strcmp (name, "summary") == 0 || strcmp (name, "body") == 0)
    writer_want_newlines (w, 1);
}

static char *
tidy_text (GString *out)
{
  g_autoptr (GString) tidy = g_string_sized_new (out->len);
  const char *p = out->str;
  int blank_run = 0;

  /* Trailing spaces go, and never more than one empty line in a row. */
  while (*p)
    {
      const char *eol = strchr (p, '\n');
      gsize len = eol ? (gsize) (eol - p) : strlen (p);
      gsize trimmed = len;
      gboolean blank;

      while (trimmed > 0 && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t'))
        trimmed--;
      blank = TRUE;
      for (gsize i = 0; i < trimmed; i++)
        if (p[i] != '>' && p[i] != ' ')
          blank = FALSE;

      if (blank)
        blank_run++;
      else
        blank_run = 0;
      if (blank_run <= 1)
        {
          g_string_append_len (tidy, p, trimmed);
          g_string_append_c (tidy, '\n');
        }
      if (eol == NULL)
        break;
      p = eol + 1;
    }

  while (tidy->len > 0 && g_ascii_isspace (tidy->str[tidy->len - 1]))
    g_string_truncate (tidy, tidy->len - 1);
  {
    gsize lead = 0;
    while (lead < tidy->len && tidy->str[lead] == '\n')
      lead++;
    g_string_erase (tidy, 0, lead);
  }

  return g_string_free (g_steal_pointer (&tidy), FALSE);
}

/**
 * kontor_mail_html_to_text:
 * @html: an HTML document or fragment, UTF-8
 *
 * Renders @html as plain text: no scripts, styles or hidden elements, character
 * references decoded, paragraphs and line breaks kept, quotes prefixed with "> ",
 * list items marked, and a link's address added after its text when they differ.
 *
 * Returns: (transfer full): the text, never %NULL
 */
char *
kontor_mail_html_to_text (const char *html)
{
  TextWriter w = { 0 };
  Tokenizer t;
  g_autoptr (GString) decoded = g_string_new (NULL);
  char *result;

  g_return_val_if_fail (html != NULL, NULL);

  w.out = g_string_new (NULL);
  tokenizer_init (&t, html, strlen (html));

  while (tokenizer_next (&t))
    {
      switch (t.kind)
        {
          case TOKEN_TEXT:
            if (t.raw)
              break; /* script, style, title... */
            g_string_truncate (decoded, 0);
            append_decoded (decoded, t.start, t.stop - t.start);
            writer_text (&w, decoded->str, decoded->len);
            break;

          case TOKEN_START:
          case TOKEN_END:
            if (t.kind == TOKEN_START &&
                (strcmp (t.name, "textarea") == 0 || strcmp (t.name, "xmp") == 0))
              {
                /* Their text is shown; keep it as ordinary text. */
                t.raw_tag[0] = '\0';
              }
            writer_tag (&w, &t);
            break;

          case TOKEN_EOF:
          case TOKEN_OTHER:
            break;
        }
    }
  writer_link_end (&w);

  result = tidy_text (w.out);
  g_string_free (w.out, TRUE);
  return result;
}

/* Remote content */

static gboolean
url_is_remote (const char *url, gsize length)
{
  char scheme[8];
  gsize n = 0;
  gsize i = 0;

  /* Browsers drop leading controls and spaces, and tabs and newlines anywhere. */
  while (i < length && (guchar) url[i] <= 0x20)
    i++;
  for (; i < length && n < sizeof scheme - 1; i++)
    {
      if (url[i] == '\t' || url[i] == '\n' || url[i] == '\r')
        continue;
      scheme[n++] = g_ascii_tolower (url[i]);
    }
  scheme[n] = '\0';

  if (n >= 2 && (scheme[0] == '/' || scheme[0] == '\\') && (scheme[1] == '/' || scheme[1] == '\\'))
    return TRUE;

  return g_str_has_prefix (scheme, "http:") || g_str_has_prefix (scheme, "https:") ||
         g_str_has_prefix (scheme, "ftp:");
}

static gboolean
srcset_has_remote (const char *srcset)
{
  const char *p = srcset;

  while (*p)
    {
      const char *url;

      while (*p && (is_space (*p) || *p == ','))
        p++;
      url = p;
      while (*p && !is_space (*p))
        p++;
      if (p > url && url_is_remote (url, p - url))
        return TRUE;
      while (*p && *p != ',')
        p++;
    }
  return FALSE;
}

static gboolean
css_string_is_remote (const char **pp, const char *end)
{
  const char *p = *pp;
  const char *value;
  char quote = 0;

  while (p < end && is_space (*p))
    p++;
  if (p < end && (*p == '"' || *p == '\''))
    quote = *p++;
  value = p;
  while (p < end && (quote ? *p != quote : (*p != ')' && !is_space (*p) && *p != ';')))
    p++;
  *pp = p;
  return url_is_remote (value, p - value);
}

static gboolean
css_has_remote (const char *css, gsize length)
{
  g_autoptr (GString) text = g_string_sized_new (length);
  const char *p;
  const char *end;

  /* Without comments, which may split tokens. */
  for (gsize i = 0; i < length; i++)
    {
      if (css[i] == '/' && i + 1 < length && css[i + 1] == '*')
        {
          const char *close = g_strstr_len (css + i + 2, length - i - 2, "*/");
          i = close ? (gsize) (close - css) + 1 : length;
          continue;
        }
      if (css[i] == '\\')
        continue; /* escapes like u\rl( still mean url( */
      g_string_append_c (text, css[i]);
    }

  end = text->str + text->len;
  for (p = text->str; p < end; p++)
    {
      if (g_ascii_strncasecmp (p, "url(", 4) == 0)
        {
          const char *q = p + 4;
          if (css_string_is_remote (&q, end))
            return TRUE;
        }
      else if (g_ascii_strncasecmp (p, "@import", 7) == 0)
        {
          const char *q = p + 7;
          if (css_string_is_remote (&q, end))
            return TRUE;
        }
      else if (g_ascii_strncasecmp (p, "image-set(", 10) == 0)
        {
          const char *q = p + 10;

          while (q < end && *q != ')')
            {
              if (*q == '"' || *q == '\'')
                {
                  if (css_string_is_remote (&q, end))
                    return TRUE;
                }
              q++;
            }
        }
    }
  return FALSE;
}

static gboolean
refresh_is_remote (const char *content)
{
  const char *p = strpbrk (content, ";,");

  if (p == NULL)
    return FALSE;
  p++;
  while (is_space (*p))
    p++;
  if (g_ascii_strncasecmp (p, "url", 3) == 0)
    {
      const char *q = p + 3;

      while (is_space (*q))
        q++;
      if (*q == '=')
        {
          p = q + 1;
          while (is_space (*p))
            p++;
        }
    }
  if (*p == '"' || *p == '\'')
    p++;
  return url_is_remote (p, strlen (p));
}

static gboolean html_has_remote (const char *html, gsize length, guint depth);

static gboolean
tag_has_remote (Tokenizer *t, guint depth)
{
  g_autoptr (GString) name = g_string_new (NULL);
  g_autoptr (GString) value = g_string_new (NULL);
  const char *tag = t->name;
  const char *p = t->attrs;
  gboolean fetching_href = strcmp (tag, "link") == 0 || strcmp (tag, "image") == 0 ||
                           strcmp (tag, "use") == 0 || strcmp (tag, "feimage") == 0 ||
                           strcmp (tag, "script") == 0;
  gboolean is_refresh = FALSE;
  g_autofree char *meta_content = NULL;

  while (next_attribute (&p, t->attrs_end, name, value))
    {
      const char *attr = name->str;

      if (strcmp (attr, "src") == 0 || strcmp (attr, "background") == 0 ||
          strcmp (attr, "poster") == 0 || strcmp (attr, "lowsrc") == 0 ||
          strcmp (attr, "dynsrc") == 0 || strcmp (attr, "codebase") == 0 ||
          strcmp (attr, "archive") == 0 || strcmp (attr, "manifest") == 0 ||
          (strcmp (attr, "data") == 0 && strcmp (tag, "object") == 0) ||
          (strcmp (attr, "href") == 0 && fetching_href) ||
          (strcmp (attr, "xlink:href") == 0 && strcmp (tag, "a") != 0))
        {
          if (url_is_remote (value->str, value->len))
            return TRUE;
        }
      else if (strcmp (attr, "srcset") == 0 || strcmp (attr, "imagesrcset") == 0)
        {
          if (srcset_has_remote (value->str))
            return TRUE;
        }
      else if (strcmp (attr, "style") == 0)
        {
          if (css_has_remote (value->str, value->len))
            return TRUE;
        }
      else if (strcmp (attr, "srcdoc") == 0 && depth < 3)
        {
          if (html_has_remote (value->str, value->len, depth + 1))
            return TRUE;
        }
      else if (strcmp (attr, "http-equiv") == 0)
        is_refresh = g_ascii_strcasecmp (g_strstrip (value->str), "refresh") == 0;
      else if (strcmp (attr, "content") == 0)
        {
          g_free (meta_content);
          meta_content = g_strdup (value->str);
        }
    }

  return strcmp (tag, "meta") == 0 && is_refresh && meta_content != NULL &&
         refresh_is_remote (meta_content);
}

static gboolean
html_has_remote (const char *html, gsize length, guint depth)
{
  Tokenizer t;
  gboolean in_style = FALSE;

  tokenizer_init (&t, html, length);
  while (tokenizer_next (&t))
    {
      if (t.kind == TOKEN_START)
        {
          in_style = strcmp (t.name, "style") == 0;
          if (tag_has_remote (&t, depth))
            return TRUE;
        }
      else if (t.kind == TOKEN_TEXT && t.raw && in_style)
        {
          if (css_has_remote (t.start, t.stop - t.start))
            return TRUE;
        }
      else if (t.kind != TOKEN_TEXT)
        in_style = FALSE;
    }
  return FALSE;
}

/**
 * kontor_mail_html_has_remote_content:
 * @html: an HTML document or fragment
 *
 * Whether @html would load anything from the network if allowed to: images, media,
 * stylesheets, fonts, frames, objects, background images, CSS url() and @import, SVG
 * image references, srcset candidates, a meta refresh to a remote address...
 *
 * Returns: %TRUE when something refers to an http(s), ftp or protocol-relative URL
 */
gboolean
kontor_mail_html_has_remote_content (const char *html)
{
  g_return_val_if_fail (html != NULL, FALSE);

  return html_has_remote (html, strlen (html), 0);
}

static void
add_cid (GHashTable *cids, const char *url, gsize length)
{
  g_autofree char *value = NULL;
  g_autofree char *unescaped = NULL;
  char *id;

  while (length > 0 && is_space (*url))
    {
      url++;
      length--;
    }
  if (length <= 4 || g_ascii_strncasecmp (url, "cid:", 4) != 0)
    return;

  value = g_strndup (url + 4, length - 4);
  unescaped = g_uri_unescape_string (g_strstrip (value), NULL);
  id = unescaped ? unescaped : value;
  if (*id == '<' && id[strlen (id) - 1] == '>')
    {
      id[strlen (id) - 1] = '\0';
      id++;
    }
  if (*id != '\0')
    g_hash_table_add (cids, g_ascii_strdown (id, -1));
}

static void
css_add_cids (GHashTable *cids, const char *css, gsize length)
{
  const char *end = css + length;
  const char *p = css;

  while ((p = find_ci (p, end, "url(")) != NULL)
    {
      const char *value;
      char quote = 0;

      p += 4;
      while (p < end && is_space (*p))
        p++;
      if (p < end && (*p == '"' || *p == '\''))
        quote = *p++;
      value = p;
      while (p < end && (quote ? *p != quote : *p != ')'))
        p++;
      add_cid (cids, value, p - value);
    }
}

/**
 * kontor_mail_html_dup_cid_references:
 * @html: an HTML document
 *
 * Finds the cid: URIs that @html shows under the reader's policy: images (src, srcset,
 * background), media and posters, and CSS url() in style attributes and elements;
 * not objects, embeds or frames, which the policy blocks.
 *
 * Returns: (transfer full) (element-type utf8 utf8): a set of lower-case Content-IDs,
 *   without angle brackets
 */
GHashTable *
kontor_mail_html_dup_cid_references (const char *html)
{
  GHashTable *cids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) name = g_string_new (NULL);
  g_autoptr (GString) value = g_string_new (NULL);
  gboolean in_style = FALSE;
  Tokenizer t;

  g_return_val_if_fail (html != NULL, cids);

  tokenizer_init (&t, html, strlen (html));
  while (tokenizer_next (&t))
    {
      const char *p;

      if (t.kind == TOKEN_TEXT && t.raw && in_style)
        css_add_cids (cids, t.start, t.stop - t.start);
      if (t.kind != TOKEN_TEXT)
        in_style = t.kind == TOKEN_START && strcmp (t.name, "style") == 0;
      if (t.kind != TOKEN_START || strcmp (t.name, "object") == 0 ||
          strcmp (t.name, "embed") == 0 || strcmp (t.name, "iframe") == 0 ||
          strcmp (t.name, "frame") == 0)
        continue;

      p = t.attrs;
      while (next_attribute (&p, t.attrs_end, name, value))
        {
          if (strcmp (name->str, "src") == 0 || strcmp (name->str, "background") == 0 ||
              strcmp (name->str, "poster") == 0 ||
              ((strcmp (name->str, "href") == 0 || strcmp (name->str, "xlink:href") == 0) &&
               strcmp (t.name, "image") == 0))
            add_cid (cids, value->str, value->len);
          else if (strcmp (name->str, "srcset") == 0)
            {
              gchar **candidates = g_strsplit (value->str, ",", -1);

              for (guint i = 0; candidates[i] != NULL; i++)
                {
                  const char *c = candidates[i];
                  while (is_space (*c))
                    c++;
                  add_cid (cids, c, strcspn (c, " \t\n\r\f"));
                }
              g_strfreev (candidates);
            }
          else if (strcmp (name->str, "style") == 0)
            css_add_cids (cids, value->str, value->len);
        }
    }

  return cids;
}

/* Text to HTML */

static gboolean
is_url_char (guchar c)
{
  return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' && c != '`' && c != '{' &&
         c != '}' && c != '|' && c != '\\' && c != '^';
}

static gboolean
is_email_local_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static gsize
trim_url (const char *url, gsize length)
{
  for (;;)
    {
      char last;
      char open = 0;
      int balance = 0;

      if (length == 0)
        return 0;
      last = url[length - 1];
      if (strchr (".,:;!?'*", last) != NULL)
        {
          length--;
          continue;
        }
      if (last == ')')
        open = '(';
      else if (last == ']')
        open = '[';
      if (open == 0)
        return length;
      for (gsize i = 0; i < length; i++)
        {
          if (url[i] == open)
            balance++;
          else if (url[i] == last)
            balance--;
        }
      if (balance >= 0)
        return length;
      length--;
    }
}

/* Returns the length of the URL at @p, and in @prefix what the link target needs in
 * front of it ("http://" for a bare www. address). */
static gsize
match_url (const char *p, const char *end, const char **prefix)
{
  static const char *const schemes[] = { "https://", "http://", "mailto:", "ftp://", "www." };
  gsize avail = end - p;

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      gsize n = strlen (schemes[i]);
      gsize length;

      if (avail <= n || g_ascii_strncasecmp (p, schemes[i], n) != 0)
        continue;

      length = n;
      while (length < avail && is_url_char (p[length]))
        length++;
      length = trim_url (p, length);
      if (length <= n)
        return 0;
      if (i == 2 && memchr (p + n, '@', length - n) == NULL)
        return 0;
      if (i == 4 && memchr (p + n, '.', length - n) == NULL)
        return 0;

      *prefix = i == 4 ? "http://" : "";
      return length;
    }
  return 0;
}

static gsize
match_email (const char *p, const char *end)
{
  const char *q = p;
  const char *at;
  const char *domain;
  gboolean dot = FALSE;

  while (q < end && is_email_local_char (*q))
    q++;
  if (q == p || q >= end || *q != '@' || *p == '.')
    return 0;
  at = q++;
  domain = q;
  while (q < end && (g_ascii_isalnum (*q) || *q == '.' || *q == '-'))
    q++;
  while (q > domain && (q[-1] == '.' || q[-1] == '-'))
    q--;
  for (const char *d = domain; d < q; d++)
    if (*d == '.')
      dot = TRUE;
  if (q == domain || !dot || *domain == '.' || at == p)
    return 0;
  return q - p;
}

static void
append_escaped (GString *out, const char *text, gsize length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (out, escaped);
}

static void
append_linkified (GString *out, const char *text, gsize length)
{
  const char *p = text;
  const char *end = text + length;
  const char *plain = text;

  while (p < end)
    {
      gboolean boundary =
        p == text || !(g_ascii_isalnum (p[-1]) || p[-1] == '.' || p[-1] == '/' || p[-1] == '@' ||
                       p[-1] == '-' || p[-1] == '_' || p[-1] == '%' || p[-1] == '+');

      if (boundary && (g_ascii_isalnum (*p)))
        {
          const char *prefix = "";
          gsize n = match_url (p, end, &prefix);

          if (n == 0 && (n = match_email (p, end)) > 0)
            prefix = "mailto:";

          if (n > 0)
            {
              append_escaped (out, plain, p - plain);
              g_string_append (out, "<a href=\"");
              g_string_append (out, prefix);
              append_escaped (out, p, n);
              g_string_append (out, "\">");
              append_escaped (out, p, n);
              g_string_append (out, "</a>");
              p += n;
              plain = p;
              continue;
            }
        }
      p++;
    }
  append_escaped (out, plain, end - plain);
}

/* Counts the quote markers at the start of @line: ">", ">>", "> >" all count. */
static int
quote_level (const char **line, const char *end)
{
  const char *p = *line;
  int level = 0;

  while (p < end && *p == '>')
    {
      level++;
      p++;
      if (p + 1 < end && *p == ' ' && p[1] == '>')
        p++;
    }
  if (level > 0 && p < end && *p == ' ')
    p++;
  *line = p;
  return level;
}

/**
 * kontor_mail_text_to_html:
 * @text: plain text, UTF-8
 *
 * Turns @text into an HTML fragment that keeps its white space and line breaks
 * (white-space: pre-wrap), with links for http(s), ftp, mailto and www. addresses and
 * plain e-mail addresses, and quoted lines ("> ", ">> " ...) in nested blockquotes of
 * classes "kontor-quote kontor-quote-N" (N cycling 1-3).
 *
 * Returns: (transfer full): the fragment, a div of class "kontor-plain"
 */
char *
kontor_mail_text_to_html (const char *text)
{
  GString *out;
  const char *p;
  int depth = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) * 11 / 10 + 64);
  g_string_append (out, "<div class=\"kontor-plain\">");

  p = text;
  while (*p)
    {
      const char *eol = strchr (p, '\n');
      const char *end = eol ? eol : p + strlen (p);
      const char *content = p;
      int level = quote_level (&content, end);
      gsize len = end - content;

      if (len > 0 && content[len - 1] == '\r')
        len--;
      level = MIN (level, MAX_QUOTE_DEPTH);

      if (level != depth)
        {
          while (depth > level)
            {
              g_string_append (out, "</blockquote>");
              depth--;
            }
          while (depth < level)
            {
              depth++;
              g_string_append_printf (out,
                                      "<blockquote class=\"kontor-quote kontor-quote-%d\" "
                                      "type=\"cite\">",
                                      (depth - 1) % 3 + 1);
            }
          first = TRUE;
        }

      if (!first)
        g_string_append_c (out, '\n');
      append_linkified (out, content, len);
      first = FALSE;

      if (eol == NULL)
        break;
      p = eol + 1;
    }

  while (depth-- > 0)
    g_string_append (out, "</blockquote>");
  g_string_append (out, "</div>");

  return g_string_free (out, FALSE);
}

/**
 * kontor_mail_text_unflow:
 * @text: the text of a format=flowed part (RFC 3676), with "\n" line ends
 * @delsp: the part's DelSp parameter
 *
 * Joins the soft line breaks of @text into paragraphs and removes space-stuffing;
 * quote markers are kept as "> " prefixes.
 *
 * Returns: (transfer full): the unflowed text
 */
char *
kontor_mail_text_unflow (const char *text, gboolean delsp)
{
  GString *out;
  g_autoptr (GString) para = g_string_new (NULL);
  int para_depth = -1;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p)
    {
      const char *eol = strchr (p, '\n');
      const char *end = eol ? eol : p + strlen (p);
      const char *content = p;
      int depth = 0;
      gsize len;
      gboolean flowed;

      while (content < end && *content == '>')
        {
          depth++;
          content++;
        }
      if (content < end && *content == ' ')
        content++;
      len = end - content;
      flowed =
        len > 0 && content[len - 1] == ' ' && !(len == 3 && strncmp (content, "-- ", 3) == 0);

      if (para_depth >= 0 && para_depth != depth)
        {
          /* A flowed line followed by another quote depth ends its paragraph. */
          for (int i = 0; i < para_depth; i++)
            g_string_append_c (out, '>');
          if (para_depth > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, para->str, para->len);
          g_string_append_c (out, '\n');
          g_string_truncate (para, 0);
        }

      g_string_append_len (para, content, flowed && delsp ? len - 1 : len);
      para_depth = depth;

      if (!flowed || eol == NULL)
        {
          for (int i = 0; i < depth; i++)
            g_string_append_c (out, '>');
          if (depth > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, para->str, para->len);
          if (eol != NULL)
            g_string_append_c (out, '\n');
          g_string_truncate (para, 0);
          para_depth = -1;
        }

      if (eol == NULL)
        break;
      p = eol + 1;
    }

  return g_string_free (out, FALSE);
}

/* The reader document */

#define CSP_COMMON                                                                 \
  "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; "   \
  "child-src 'none'; worker-src 'none'; connect-src 'none'; prefetch-src 'none'; " \
  "manifest-src 'none'; form-action 'none'; base-uri 'none'; "

static const char csp_local[] = CSP_COMMON "img-src cid: data:; media-src cid: data:; "
                                           "font-src cid: data:; style-src 'unsafe-inline' "
                                           "cid: data:";

static const char csp_remote[] =
  CSP_COMMON "img-src cid: data: https: http:; media-src cid: data: https: http:; "
             "font-src cid: data: https: http:; style-src 'unsafe-inline' cid: data: https: http:";

static const char document_style[] =
  "html.kontor-text{color-scheme:light dark}"
  "html.kontor-html{color-scheme:light}"
  "body{margin:12px;font-family:system-ui,-apple-system,Cantarell,'Noto Sans',sans-serif;"
  "font-size:15px;line-height:1.45;overflow-wrap:break-word}"
  "img,video{max-width:100%;height:auto}"
  "pre{white-space:pre-wrap}"
  ".kontor-plain{white-space:pre-wrap}"
  "a{color:#1a5fb4}"
  "blockquote.kontor-quote{margin:.3em 0 .3em .2em;padding:0 0 0 .8em;"
  "border-left:3px solid #3584e4;color:#1a5fb4}"
  "blockquote.kontor-quote-2{border-left-color:#26a269;color:#26a269}"
  "blockquote.kontor-quote-3{border-left-color:#c64600;color:#c64600}"
  ".kontor-message-headers{margin:.5em 0;padding:.5em .8em;border-radius:6px;"
  "background:rgba(127,127,127,.12)}"
  ".kontor-message-headers b{font-weight:600}"
  "hr.kontor-part-separator{border:none;border-top:1px solid rgba(127,127,127,.4);"
  "margin:1.5em 0}"
  "@media (prefers-color-scheme:dark){"
  "html.kontor-text body{background:#1e1e1e;color:#ffffff}"
  "html.kontor-text a{color:#78aeed}"
  "html.kontor-text blockquote.kontor-quote{border-left-color:#62a0ea;color:#99c1f1}"
  "html.kontor-text blockquote.kontor-quote-2{border-left-color:#57e389;color:#8ff0a4}"
  "html.kontor-text blockquote.kontor-quote-3{border-left-color:#ffa348;color:#ffbe6f}}";

/* Copies @body without its <meta> elements: our head decides the policies, and a
 * message's refresh, referrer or cookie settings must not apply. */
static void
append_without_meta (GString *out, const char *body)
{
  Tokenizer t;

  tokenizer_init (&t, body, strlen (body));
  while (tokenizer_next (&t))
    {
      if ((t.kind == TOKEN_START || t.kind == TOKEN_END) && strcmp (t.name, "meta") == 0)
        continue;
      g_string_append_len (out, t.start, t.stop - t.start);
    }
}

/**
 * kontor_mail_html_build_document:
 * @body: the message's HTML (a document or a fragment), or fragments of it
 * @is_html: whether @body came from an HTML part (keeps its light colours) or from text
 * @allow_remote: whether remote images, media, fonts and styles may load
 *
 * Wraps @body in a document whose head starts with a Content-Security-Policy that
 * allows no scripts, frames, objects, connections or form submissions, and remote
 * resources only with @allow_remote (cid: and data: always), followed by the reader's
 * stylesheet. The message's own html/head/body tags are merged by the parser into ours,
 * so nothing of the message can come before the policy.
 *
 * Returns: (transfer full): the document
 */
char *
kontor_mail_html_build_document (const char *body, gboolean is_html, gboolean allow_remote)
{
  GString *doc;

  g_return_val_if_fail (body != NULL, NULL);

  doc = g_string_sized_new (strlen (body) + sizeof document_style + 1024);
  g_string_append_printf (doc,
                          "<!DOCTYPE html>\n<html class=\"%s\"><head>"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">"
                          "<meta charset=\"utf-8\">"
                          "<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">"
                          "<meta name=\"referrer\" content=\"no-referrer\">"
                          "<meta name=\"color-scheme\" content=\"%s\">"
                          "<style>%s</style></head><body>\n",
                          is_html ? "kontor-html" : "kontor-text",
                          allow_remote ? csp_remote : csp_local, is_html ? "light" : "light dark",
                          document_style);
  append_without_meta (doc, body);
  g_string_append (doc, "\n</body></html>\n");

  return g_string_free (doc, FALSE);
}

/**
 * kontor_mail_html_sniff_charset:
 * @html: the start of an HTML document, in any ASCII-compatible charset
 * @length: its length in bytes
 *
 * Returns: (transfer full) (nullable): the charset a <meta> tag declares, or %NULL
 */
char *
kontor_mail_html_sniff_charset (const char *html, gsize length)
{
  Tokenizer t;

  g_return_val_if_fail (html != NULL || length == 0, NULL);

  tokenizer_init (&t, html, MIN (length, 4096));
  while (tokenizer_next (&t))
    {
      g_autofree char *charset = NULL;
      g_autofree char *content = NULL;

      if (t.kind != TOKEN_START || strcmp (t.name, "meta") != 0)
        continue;

      charset = tokenizer_dup_attribute (&t, "charset");
      if (charset != NULL && *g_strstrip (charset) != '\0')
        return g_steal_pointer (&charset);

      content = tokenizer_dup_attribute (&t, "content");
      if (content != NULL)
        {
          const char *p = find_ci (content, content + strlen (content), "charset=");

          if (p != NULL)
            {
              const char *value = p + 8;
              gsize n;

              if (*value == '"' || *value == '\'')
                value++;
              n = strcspn (value, "\"'; \t");
              if (n > 0)
                return g_strndup (value, n);
            }
        }
    }
  return NULL;
}
