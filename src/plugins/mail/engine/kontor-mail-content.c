/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-content.c: reads a CamelMimeMessage the way a user sees it: charsets made
 * right (declared, mislabelled or missing), MIME structure walked to a body and
 * attachments, and broken structure shown rather than lost. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kontor-mail-html.h"
#include "kontor-mail-content.h"

#define MAX_MIME_DEPTH    48
#define MAX_MESSAGE_DEPTH 8

struct _KontorMailContentPrivate
{
  CamelMimeMessage *message;
  GPtrArray *units; /* Unit*, in reading order */
  GHashTable *cids; /* lower-case Content-ID -> CamelMimePart */
  GPtrArray *keep;  /* parts made while reading (repaired multiparts) */
  guint next_synthetic_cid;
};

/* One piece of the body: a text or HTML part, an inline image, the headers of an
 * enclosed message. */
typedef struct
{
  char *text;            /* plain text, may be empty */
  char *html;            /* HTML for the document, or NULL to render @text */
  gboolean sent_as_html; /* @html is a text/html part as sent */
  gboolean is_headers;
} Unit;

static void
unit_free (Unit *unit)
{
  g_free (unit->text);
  g_free (unit->html);
  g_free (unit);
}

/* Charsets */

/* Labels mail uses, by the iconv charset that should decode them: the Windows supersets
 * that senders really use (as WHATWG does), and spellings iconv does not know. */
static const struct
{
  const char *charset;
  const char *labels; /* lower case, separated by spaces */
} charset_aliases[] = {
  { "CP1252", "us-ascii ascii ansi_x3.4-1968 iso-8859-1 iso8859-1 iso_8859-1 latin1 "
              "windows-1252 cp1252 x-cp1252" },
  { "CP1254", "iso-8859-9 latin5" },
  { "CP874", "iso-8859-11 tis-620 windows-874" },
  { "CP932", "shift_jis shift-jis sjis x-sjis ms_kanji csshiftjis windows-31j cp932 ms932" },
  { "CP949", "euc-kr ks_c_5601-1987 ks_c_5601-1989 ks_c_5601 ksc5601 ksc_5601 windows-949 "
             "cp949 uhc" },
  { "GB18030", "gb2312 gbk x-gbk cp936 euc-cn csgb2312" },
  { "BIG5-HKSCS", "big5 x-x-big5 cn-big5" },
  { "UTF-8", "utf8 utf-8 unicode-1-1-utf-8" },
  { "UTF-7", "utf-7 unicode-1-1-utf-7" },
  { "UTF-16LE", "unicode" },
  { "ISO-8859-8", "iso-8859-8-i" },
  { "MACINTOSH", "x-mac-roman macintosh" },
  { "EUC-JP", "x-euc-jp" },
};

static gboolean
label_in (const char *labels, const char *label)
{
  gsize n = strlen (label);

  for (const char *p = labels; (p = strstr (p, label)) != NULL; p += n)
    if ((p == labels || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return TRUE;
  return FALSE;
}

static gboolean
charset_is (const char *charset, const char *prefix)
{
  return charset != NULL && g_ascii_strncasecmp (charset, prefix, strlen (prefix)) == 0;
}

static gboolean
charset_is_wide (const char *charset)
{
  return charset_is (charset, "UTF-16") || charset_is (charset, "UTF-32") ||
         charset_is (charset, "UCS-2") || charset_is (charset, "UCS-4");
}

static gboolean
charset_is_7bit_stateful (const char *charset)
{
  return charset_is (charset, "ISO-2022") || charset_is (charset, "UTF-7") ||
         charset_is (charset, "HZ");
}

/* Returns the iconv name for a declared charset, or NULL when it is unusable. */
static const char *
normalize_charset (const char *declared)
{
  g_autofree char *lower = NULL;
  const char *name;
  GIConv cd;

  if (declared == NULL)
    return NULL;

  lower = g_ascii_strdown (declared, -1);
  g_strstrip (g_strdelimit (lower, "\"'", ' '));
  if (*lower == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (charset_aliases); i++)
    if (label_in (charset_aliases[i].labels, lower))
      return charset_aliases[i].charset;

  name = camel_iconv_charset_name (lower);
  if (name == NULL)
    return NULL;
  cd = g_iconv_open ("UTF-8", name);
  if (cd == (GIConv) -1)
    return NULL;
  g_iconv_close (cd);

  return name;
}

static GString *
convert_strict (const char *data, gsize length, const char *charset)
{
  g_autoptr (GError) error = NULL;
  gsize written = 0;
  char *converted;
  GString *out;

  converted = g_convert (data, length, "UTF-8", charset, NULL, &written, &error);
  if (converted == NULL)
    return NULL;

  out = g_string_new_len (converted, written);
  g_free (converted);
  return out;
}

/* Converts what it can and puts U+FFFD where a byte cannot be read. */
static GString *
convert_lossy (const char *data, gsize length, const char *charset)
{
  GString *out = g_string_sized_new (length * 2 + 16);
  GIConv cd = g_iconv_open ("UTF-8", charset);
  gchar *in = (gchar *) data;
  gsize in_left = length;
  char buffer[4096];

  if (cd == (GIConv) -1)
    {
      for (gsize i = 0; i < length; i++)
        {
          if ((guchar) data[i] < 0x80)
            g_string_append_c (out, data[i]);
          else
            g_string_append_unichar (out, 0xfffd);
        }
      return out;
    }

  while (in_left > 0)
    {
      gchar *outp = buffer;
      gsize out_left = sizeof buffer;
      gsize result = g_iconv (cd, &in, &in_left, &outp, &out_left);

      g_string_append_len (out, buffer, outp - buffer);
      if (result == (gsize) -1 && errno != E2BIG)
        {
          g_string_append_unichar (out, 0xfffd);
          in++;
          in_left--;
        }
    }

  {
    gchar *outp = buffer;
    gsize out_left = sizeof buffer;

    g_iconv (cd, NULL, NULL, &outp, &out_left);
    g_string_append_len (out, buffer, outp - buffer);
  }
  g_iconv_close (cd);

  return out;
}

typedef struct
{
  guint total; /* characters outside ASCII */
  guint kana;
  guint halfwidth_kana;
  guint han;
  guint hangul;
  guint cyrillic_lower;
  guint cyrillic_upper;
} ScriptCounts;

static gboolean
count_scripts (const char *data, gsize length, const char *charset, ScriptCounts *counts)
{
  g_autoptr (GString) text = convert_strict (data, length, charset);

  memset (counts, 0, sizeof *counts);
  if (text == NULL || !g_utf8_validate (text->str, text->len, NULL))
    return FALSE;

  for (const char *p = text->str; p < text->str + text->len; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch < 0x80)
        continue;
      counts->total++;
      if (ch >= 0x3040 && ch <= 0x30ff)
        counts->kana++;
      else if (ch >= 0xff61 && ch <= 0xff9f)
        counts->halfwidth_kana++;
      else if ((ch >= 0x4e00 && ch <= 0x9fff) || (ch >= 0x3400 && ch <= 0x4dbf))
        counts->han++;
      else if (ch >= 0xac00 && ch <= 0xd7a3)
        counts->hangul++;
      else if ((ch >= 0x430 && ch <= 0x45f))
        counts->cyrillic_lower++;
      else if (ch >= 0x400 && ch <= 0x42f)
        counts->cyrillic_upper++;
    }
  return counts->total > 0;
}

/* Guesses the charset of 8-bit text that is not UTF-8 and whose label is missing or
 * wrong. Single accented letters between ASCII are Western European; runs of 8-bit
 * bytes are CJK (told apart by kana and hangul) or Cyrillic (words of odd length, and
 * mostly lower-case letters in the right one of KOI8 and windows-1251). */
static const char *
guess_charset (const char *data, gsize length)
{
  const guchar *d = (const guchar *) data;
  gsize high = 0, paired = 0, runs = 0, odd_runs = 0, run = 0;
  ScriptCounts counts;

  for (gsize i = 0; i + 1 < length; i++)
    if (d[i] == 0x1b && (d[i + 1] == '$' || d[i + 1] == '('))
      return "ISO-2022-JP";

  for (gsize i = 0; i <= length; i++)
    {
      if (i < length && d[i] >= 0x80)
        {
          high++;
          if ((i > 0 && d[i - 1] >= 0x80) || (i + 1 < length && d[i + 1] >= 0x80))
            paired++;
          run++;
        }
      else if (run > 0)
        {
          runs++;
          if (run % 2 == 1)
            odd_runs++;
          run = 0;
        }
    }

  if (high == 0 || paired * 2 < high)
    return "CP1252";

  if (count_scripts (data, length, "CP932", &counts) && counts.kana * 5 >= counts.total &&
      counts.halfwidth_kana * 5 < counts.total)
    return "CP932";
  if (count_scripts (data, length, "EUC-JP", &counts) && counts.kana * 5 >= counts.total)
    return "EUC-JP";
  if (count_scripts (data, length, "CP949", &counts) && counts.hangul * 2 >= counts.total)
    return "CP949";

  if (odd_runs * 10 < runs * 3)
    {
      if (count_scripts (data, length, "GB18030", &counts) && counts.han * 10 >= counts.total * 7)
        return "GB18030";
      if (count_scripts (data, length, "BIG5-HKSCS", &counts) &&
          counts.han * 10 >= counts.total * 7)
        return "BIG5-HKSCS";
    }

  {
    ScriptCounts koi8, cp1251;
    gboolean is_koi8 = count_scripts (data, length, "KOI8-U", &koi8);
    gboolean is_cp1251 = count_scripts (data, length, "CP1251", &cp1251);

    if (is_koi8 && (!is_cp1251 || koi8.cyrillic_lower > cp1251.cyrillic_lower) &&
        (koi8.cyrillic_lower + koi8.cyrillic_upper) * 10 >= koi8.total * 8)
      return "KOI8-U";
    if (is_cp1251 && (cp1251.cyrillic_lower + cp1251.cyrillic_upper) * 10 >= cp1251.total * 8 &&
        cp1251.cyrillic_lower * 2 >= cp1251.cyrillic_upper)
      return "CP1251";
  }

  return "CP1252";
}

static char *
finish_utf8 (GString *text)
{
  gsize j = 0;

  /* No NULs (they end C strings) and no byte-order mark. */
  for (gsize i = 0; i < text->len; i++)
    if (text->str[i] != '\0')
      text->str[j++] = text->str[i];
  g_string_truncate (text, j);
  if (g_str_has_prefix (text->str, "\xef\xbb\xbf"))
    g_string_erase (text, 0, 3);

  if (!g_utf8_validate (text->str, text->len, NULL))
    {
      char *valid = g_utf8_make_valid (text->str, text->len);
      g_string_free (text, TRUE);
      return valid;
    }
  return g_string_free (text, FALSE);
}

/**
 * kontor_mail_decode_to_utf8:
 * @data: bytes of text
 * @length: their length
 * @charset: (nullable): the charset they are said to be in
 *
 * Decodes text whatever its label says: a byte-order mark wins, 8-bit text that is
 * valid UTF-8 is UTF-8 (mislabelled mail is common), then the declared charset (by its
 * Windows superset), then a guess; bytes nothing can read become U+FFFD.
 *
 * Returns: (transfer full): valid UTF-8 without NUL characters, never %NULL
 */
char *
kontor_mail_decode_to_utf8 (const char *data, gsize length, const char *charset)
{
  const char *declared = normalize_charset (charset);
  const char *guess;
  g_autofree char *copy = NULL;
  GString *out = NULL;
  gboolean has_8bit = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    declared = "UTF-8";
  else if (length >= 2 && memcmp (data, "\xff\xfe", 2) == 0)
    declared = "UTF-16LE";
  else if (length >= 2 && memcmp (data, "\xfe\xff", 2) == 0)
    declared = "UTF-16BE";

  if (charset_is_wide (declared) && (out = convert_strict (data, length, declared)) != NULL)
    return finish_utf8 (out);

  /* Outside UTF-16 and UTF-32 a NUL byte is never text. */
  copy = g_malloc (length + 1);
  {
    gsize j = 0;

    for (gsize i = 0; i < length; i++)
      {
        if (data[i] == '\0')
          continue;
        if ((guchar) data[i] >= 0x80)
          has_8bit = TRUE;
        copy[j++] = data[i];
      }
    copy[j] = '\0';
    length = j;
  }

  if (!has_8bit)
    {
      if (charset_is_7bit_stateful (declared) &&
          (out = convert_strict (copy, length, declared)) != NULL)
        return finish_utf8 (out);
      if (memchr (copy, 0x1b, length) != NULL &&
          (out = convert_strict (copy, length, "ISO-2022-JP")) != NULL)
        return finish_utf8 (out);
      return g_steal_pointer (&copy);
    }

  if (g_utf8_validate (copy, length, NULL))
    return g_steal_pointer (&copy);

  if (declared != NULL && !charset_is (declared, "UTF-8") &&
      (out = convert_strict (copy, length, declared)) != NULL)
    return finish_utf8 (out);

  guess = guess_charset (copy, length);
  if ((out = convert_strict (copy, length, guess)) != NULL)
    return finish_utf8 (out);

  return finish_utf8 (convert_lossy (copy, length, declared ? declared : guess));
}

/* Headers */

static GByteArray *
decode_word_payload (char encoding, const char *text, gsize length)
{
  GByteArray *bytes = g_byte_array_new ();

  if (encoding == 'b' || encoding == 'B')
    {
      g_autoptr (GString) b64 = g_string_new (NULL);
      gint state = 0;
      guint save = 0;
      gsize n;

      for (gsize i = 0; i < length; i++)
        if (g_ascii_isalnum (text[i]) || text[i] == '+' || text[i] == '/')
          g_string_append_c (b64, text[i]);
      /* Lost padding ("VEVTVA=") must not lose the last bytes. */
      while (b64->len % 4 != 0)
        g_string_append_c (b64, '=');

      g_byte_array_set_size (bytes, b64->len * 3 / 4 + 3);
      n = g_base64_decode_step (b64->str, b64->len, bytes->data, &state, &save);
      g_byte_array_set_size (bytes, n);
    }
  else
    {
      for (gsize i = 0; i < length; i++)
        {
          guint8 c = text[i];

          if (c == '_')
            c = ' ';
          else if (c == '=' && i + 2 < length && g_ascii_isxdigit (text[i + 1]) &&
                   g_ascii_isxdigit (text[i + 2]))
            {
              c = g_ascii_xdigit_value (text[i + 1]) * 16 + g_ascii_xdigit_value (text[i + 2]);
              i += 2;
            }
          g_byte_array_append (bytes, &c, 1);
        }
    }

  return bytes;
}

/* Parses "=?charset?E?text?=" at @p; fills @charset and @bytes, returns its end. */
static const char *
parse_encoded_word (const char *p, char **charset, GByteArray **bytes)
{
  const char *cs = p + 2;
  const char *q = cs;
  const char *text;
  const char *close;
  char encoding;

  while (*q && *q != '?' && !g_ascii_isspace (*q) && q - cs < 64)
    q++;
  if (*q != '?' || q == cs)
    return NULL;
  encoding = q[1];
  if (!strchr ("bBqQ", encoding) || encoding == '\0' || q[2] != '?')
    return NULL;
  text = q + 3;
  close = g_strstr_len (text, 4096, "?=");
  if (close == NULL)
    return NULL;

  *charset = g_strndup (cs, q - cs);
  /* RFC 2231 language: "utf-8*en" */
  if (strchr (*charset, '*') != NULL)
    *strchr (*charset, '*') = '\0';
  *bytes = decode_word_payload (encoding, text, close - text);
  return close + 2;
}

static void
flush_words (GString *out, char **charset, GByteArray **bytes)
{
  if (*bytes == NULL)
    return;

  {
    g_autofree char *text =
      kontor_mail_decode_to_utf8 ((const char *) (*bytes)->data, (*bytes)->len, *charset);
    g_string_append (out, text);
  }
  g_clear_pointer (charset, g_free);
  g_clear_pointer (bytes, g_byte_array_unref);
}

static gboolean
is_blank (const char *p, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (p[i]))
      return FALSE;
  return TRUE;
}

/* Decodes an unstructured header value: RFC 2047 words (also badly split or padded
 * ones, and adjacent words of one multibyte charset), raw 8-bit text in @fallback or
 * UTF-8 (RFC 6532), folding undone, controls turned into spaces. */
static char *
decode_header_text (const char *raw, const char *fallback)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *unfolded = NULL;
  char *pending_charset = NULL;
  GByteArray *pending = NULL;
  const char *p;
  const char *plain;

  if (raw == NULL)
    return NULL;

  unfolded = g_strdup (raw);
  {
    gsize j = 0;
    for (gsize i = 0; unfolded[i]; i++)
      if (unfolded[i] != '\r' && unfolded[i] != '\n')
        unfolded[j++] = unfolded[i];
    unfolded[j] = '\0';
  }

  p = plain = unfolded;
  while ((p = strstr (p, "=?")) != NULL)
    {
      char *charset = NULL;
      GByteArray *bytes = NULL;
      const char *end = parse_encoded_word (p, &charset, &bytes);

      if (end == NULL)
        {
          p += 2;
          continue;
        }

      if (pending != NULL && is_blank (plain, p - plain) &&
          g_ascii_strcasecmp (pending_charset, charset) == 0)
        {
          /* One multibyte character may be split over two words. */
          g_byte_array_append (pending, bytes->data, bytes->len);
          g_byte_array_unref (bytes);
          g_free (charset);
        }
      else
        {
          if (!(pending != NULL && is_blank (plain, p - plain)))
            {
              g_autofree char *text = NULL;

              flush_words (out, &pending_charset, &pending);
              text = kontor_mail_decode_to_utf8 (plain, p - plain, fallback);
              g_string_append (out, text);
            }
          flush_words (out, &pending_charset, &pending);
          pending = bytes;
          pending_charset = charset;
        }
      p = plain = end;
    }
  flush_words (out, &pending_charset, &pending);
  {
    g_autofree char *text = kontor_mail_decode_to_utf8 (plain, strlen (plain), fallback);
    g_string_append (out, text);
  }

  for (gsize i = 0; i < out->len; i++)
    if ((guchar) out->str[i] < 0x20)
      out->str[i] = ' ';

  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* A message/rfc822 part hands its own type to the message inside, so an enclosed
 * message's type is read from its own header. */
static CamelContentType *
part_ref_content_type (CamelMimePart *part)
{
  CamelContentType *ct = NULL;

  if (CAMEL_IS_MIME_MESSAGE (part))
    {
      const char *raw = camel_medium_get_header (CAMEL_MEDIUM (part), "Content-Type");

      ct = raw ? camel_content_type_decode (raw) : NULL;
      return ct ? ct : camel_content_type_new ("text", "plain");
    }

  ct = camel_mime_part_get_content_type (part);
  return ct ? camel_content_type_ref (ct) : camel_content_type_new ("text", "plain");
}

static char *
part_dup_charset (CamelMimePart *part)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);

  return g_strdup (camel_content_type_param (ct, "charset"));
}

/* The charset raw 8-bit header text is most likely in: the body's, unless that is
 * UTF-16 or UTF-32, which headers never are. */
static char *
header_charset (CamelMimePart *part)
{
  char *charset = part_dup_charset (part);

  if (charset_is_wide (normalize_charset (charset)))
    g_clear_pointer (&charset, g_free);
  return charset;
}

static char *
dup_header (CamelMimePart *part, const char *name)
{
  const char *raw = camel_medium_get_header (CAMEL_MEDIUM (part), name);
  g_autofree char *fallback = header_charset (part);
  char *value;

  if (raw == NULL)
    return NULL;
  value = decode_header_text (raw, fallback);
  if (*value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static void
append_address (GString *out, const char *name, const char *address)
{
  if (out->len > 0)
    g_string_append (out, ", ");

  if (name != NULL && *name != '\0')
    {
      if (strpbrk (name, ",;\"<>") != NULL)
        {
          g_string_append_c (out, '"');
          for (const char *c = name; *c; c++)
            {
              if (*c == '"' || *c == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *c);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, name);
      if (address != NULL && *address != '\0')
        g_string_append_printf (out, " <%s>", address);
    }
  else if (address != NULL)
    g_string_append (out, address);
}

/* Formats every header @name of @part (some mailers repeat To:) as "Name <addr>, ...";
 * what is no address list at all is shown as decoded text. */
static char *
dup_addresses (CamelMimePart *part, const char *name)
{
  const CamelNameValueArray *headers = camel_medium_get_headers (CAMEL_MEDIUM (part));
  g_autofree char *fallback = header_charset (part);
  g_autoptr (GString) out = g_string_new (NULL);
  guint n = headers ? camel_name_value_array_get_length (headers) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *header_name = NULL;
      const char *raw = NULL;
      g_autofree char *utf8 = NULL;
      g_autoptr (CamelInternetAddress) addresses = NULL;
      int count;

      if (!camel_name_value_array_get (headers, i, &header_name, &raw) || raw == NULL ||
          g_ascii_strcasecmp (header_name, name) != 0)
        continue;

      utf8 = kontor_mail_decode_to_utf8 (raw, strlen (raw), fallback);
      addresses = camel_internet_address_new ();
      count = camel_address_decode (CAMEL_ADDRESS (addresses), utf8);

      for (int j = 0; j < count; j++)
        {
          const char *addr_name = NULL;
          const char *address = NULL;
          g_autofree char *decoded_name = NULL;

          if (!camel_internet_address_get (addresses, j, &addr_name, &address))
            continue;
          if (addr_name != NULL && strstr (addr_name, "=?") != NULL)
            decoded_name = decode_header_text (addr_name, fallback);
          else if (addr_name != NULL)
            decoded_name = kontor_mail_decode_to_utf8 (addr_name, strlen (addr_name), fallback);
          append_address (out, decoded_name, address);
        }

      if (count <= 0)
        {
          g_autofree char *text = decode_header_text (raw, fallback);

          if (*text != '\0')
            {
              if (out->len > 0)
                g_string_append (out, ", ");
              g_string_append (out, text);
            }
        }
    }

  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
strip_angle_brackets (const char *value)
{
  g_autofree char *copy = g_strdup (value);
  char *id = g_strstrip (copy);
  gsize len = strlen (id);

  if (len >= 2 && id[0] == '<' && id[len - 1] == '>')
    return g_strndup (id + 1, len - 2);
  return g_strdup (id);
}

/* Parts */

static GOutputStream *
decoding_stream_new (CamelDataWrapper *content, GOutputStream *base)
{
  CamelMimeFilterBasicType type;
  g_autoptr (CamelMimeFilter) filter = NULL;
  GOutputStream *stream;

  switch (camel_data_wrapper_get_encoding (content))
    {
      case CAMEL_TRANSFER_ENCODING_BASE64:
        type = CAMEL_MIME_FILTER_BASIC_BASE64_DEC;
        break;
      case CAMEL_TRANSFER_ENCODING_QUOTEDPRINTABLE:
        type = CAMEL_MIME_FILTER_BASIC_QP_DEC;
        break;
      case CAMEL_TRANSFER_ENCODING_UUENCODE:
        type = CAMEL_MIME_FILTER_BASIC_UU_DEC;
        break;
      default:
        return g_object_ref (base);
    }

  filter = camel_mime_filter_basic_new (type);
  stream = camel_filter_output_stream_new (base, filter);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (stream), FALSE);
  return stream;
}

static gboolean write_part_source (CamelMimePart *part,
                                   GOutputStream *out,
                                   GCancellable *cancellable,
                                   GError **error);

static gboolean
write_text (GOutputStream *out, const char *text, GCancellable *cancellable, GError **error)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, cancellable, error);
}

/* The MIME text of an enclosed message or multipart. Camel's own writer gives a
 * message that lacks them a Date, a Subject and a Message-ID, which would then show as
 * if sent; this one writes what was received. */
static gboolean
write_content_source (CamelDataWrapper *content,
                      GOutputStream *out,
                      GCancellable *cancellable,
                      GError **error)
{
  if (CAMEL_IS_MIME_MESSAGE (content))
    return write_part_source (CAMEL_MIME_PART (content), out, cancellable, error);

  if (CAMEL_IS_MULTIPART_SIGNED (content))
    {
      /* It keeps the body as received, which is what a signature covers. */
      GByteArray *raw = camel_data_wrapper_get_byte_array (content);

      return raw == NULL ||
             g_output_stream_write_all (out, raw->data, raw->len, NULL, cancellable, error);
    }

  if (CAMEL_IS_MULTIPART (content) &&
      camel_multipart_get_boundary (CAMEL_MULTIPART (content)) != NULL)
    {
      CamelMultipart *multipart = CAMEL_MULTIPART (content);
      g_autofree char *delimiter =
        g_strdup_printf ("\n--%s\n", camel_multipart_get_boundary (multipart));
      g_autofree char *close =
        g_strdup_printf ("\n--%s--\n", camel_multipart_get_boundary (multipart));
      const char *preface = camel_multipart_get_preface (multipart);
      const char *postface = camel_multipart_get_postface (multipart);

      if (preface != NULL && !write_text (out, preface, cancellable, error))
        return FALSE;
      for (guint i = 0; i < camel_multipart_get_number (multipart); i++)
        if (!write_text (out, delimiter, cancellable, error) ||
            !write_part_source (camel_multipart_get_part (multipart, i), out, cancellable, error))
          return FALSE;
      return write_text (out, close, cancellable, error) &&
             (postface == NULL || write_text (out, postface, cancellable, error));
    }

  return camel_data_wrapper_write_to_output_stream_sync (content, out, cancellable, error) >= 0;
}

static gboolean
write_part_source (CamelMimePart *part,
                   GOutputStream *out,
                   GCancellable *cancellable,
                   GError **error)
{
  const CamelNameValueArray *headers = camel_medium_get_headers (CAMEL_MEDIUM (part));
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  g_autoptr (GString) head = g_string_new (NULL);

  for (guint i = 0; headers != NULL && i < camel_name_value_array_get_length (headers); i++)
    {
      const char *name = NULL;
      const char *value = NULL;

      if (!camel_name_value_array_get (headers, i, &name, &value) || name == NULL)
        continue;
      g_string_append_printf (head, "%s:%s%s\n", name,
                              value && (*value == ' ' || *value == '\t') ? "" : " ",
                              value ? value : "");
    }
  g_string_append_c (head, '\n');

  if (!write_text (out, head->str, cancellable, error))
    return FALSE;
  return content == NULL || write_content_source (content, out, cancellable, error);
}

/* Writes the content of @part as the recipient gets it: transfer encoding undone, and
 * nothing else (no newline or charset conversion, so saved files are byte-exact). */
static gboolean
write_decoded (CamelMimePart *part, GOutputStream *out, GCancellable *cancellable, GError **error)
{
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  g_autoptr (GOutputStream) stream = NULL;

  if (content == NULL)
    return TRUE;

  if (CAMEL_IS_MULTIPART (content) || CAMEL_IS_MIME_MESSAGE (content))
    return write_content_source (content, out, cancellable, error);

  stream = decoding_stream_new (content, out);
  if (camel_data_wrapper_write_to_output_stream_sync (content, stream, cancellable, error) < 0)
    return FALSE;
  if (stream != out)
    return g_output_stream_close (stream, cancellable, error);
  return TRUE;
}

/**
 * kontor_mail_part_dup_bytes:
 * @part: a MIME part
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns the content of @part decoded from its transfer encoding (base64,
 * quoted-printable, uuencode); an enclosed message or multipart as its MIME text.
 * For a cid: URI handler and for previews.
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
kontor_mail_part_dup_bytes (CamelMimePart *part, GCancellable *cancellable, GError **error)
{
  g_autoptr (GOutputStream) out = NULL;

  g_return_val_if_fail (CAMEL_IS_MIME_PART (part), NULL);

  out = g_memory_output_stream_new_resizable ();
  if (!write_decoded (part, out, cancellable, error) ||
      !g_output_stream_close (out, cancellable, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static guint64
decoded_size (CamelMimePart *part)
{
  g_autoptr (GOutputStream) counter = camel_null_output_stream_new ();

  if (!write_decoded (part, counter, NULL, NULL))
    return 0;
  return camel_null_output_stream_get_bytes_written (CAMEL_NULL_OUTPUT_STREAM (counter));
}

static gboolean
type_is (CamelContentType *ct, const char *type, const char *subtype)
{
  return ct != NULL && camel_content_type_is (ct, type, subtype);
}

/* The part's text in UTF-8 with "\n" line ends; format=flowed undone. */
static char *
part_dup_text (CamelMimePart *part)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  g_autoptr (GBytes) bytes = kontor_mail_part_dup_bytes (part, NULL, NULL);
  const char *charset = camel_content_type_param (ct, "charset");
  g_autofree char *sniffed = NULL;
  g_autofree char *text = NULL;
  const char *data;
  gsize length = 0;
  char *src;
  char *dst;

  data = bytes ? g_bytes_get_data (bytes, &length) : NULL;
  if (data == NULL)
    return g_strdup ("");

  if (normalize_charset (charset) == NULL && type_is (ct, "text", "html"))
    charset = sniffed = kontor_mail_html_sniff_charset (data, length);

  text = kontor_mail_decode_to_utf8 (data, length, charset);

  for (src = dst = text; *src; src++)
    {
      if (*src == '\r')
        {
          *dst++ = '\n';
          if (src[1] == '\n')
            src++;
        }
      else
        *dst++ = *src;
    }
  *dst = '\0';

  if (type_is (ct, "text", "plain") && camel_content_type_param (ct, "format") != NULL &&
      g_ascii_strcasecmp (camel_content_type_param (ct, "format"), "flowed") == 0)
    {
      const char *delsp = camel_content_type_param (ct, "delsp");
      return kontor_mail_text_unflow (text, delsp && g_ascii_strcasecmp (delsp, "yes") == 0);
    }

  return g_steal_pointer (&text);
}

static gboolean
part_is_blank (CamelMimePart *part)
{
  g_autoptr (GBytes) bytes = kontor_mail_part_dup_bytes (part, NULL, NULL);
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  return data == NULL || is_blank (data, length);
}

/* Attachments */

static const struct
{
  const char *mime_type;
  const char *extension;
} extensions[] = {
  { "text/plain", "txt" },
  { "text/html", "html" },
  { "text/calendar", "ics" },
  { "application/ics", "ics" },
  { "text/vcard", "vcf" },
  { "text/x-vcard", "vcf" },
  { "message/rfc822", "eml" },
  { "message/partial", "eml" },
  { "message/delivery-status", "txt" },
  { "text/rfc822-headers", "txt" },
  { "image/jpeg", "jpg" },
  { "image/png", "png" },
  { "image/gif", "gif" },
  { "application/pdf", "pdf" },
  { "application/pgp-signature", "asc" },
  { "application/pgp-encrypted", "asc" },
  { "application/pkcs7-signature", "p7s" },
  { "application/x-pkcs7-signature", "p7s" },
  { "application/pkcs7-mime", "p7m" },
  { "application/x-pkcs7-mime", "p7m" },
  { "application/octet-stream", "bin" },
  { "application/vnd.ms-tnef", "dat" },
  { "application/msword", "doc" },
  { "application/postscript", "ps" },
  { "audio/basic", "au" },
};

static const char *
extension_for (const char *mime_type)
{
  const char *subtype = strchr (mime_type, '/');
  gsize n;

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (strcmp (mime_type, extensions[i].mime_type) == 0)
      return extensions[i].extension;

  if (subtype == NULL)
    return "bin";
  subtype++;
  if (g_str_has_prefix (subtype, "x-"))
    subtype += 2;
  n = strlen (subtype);
  if (n == 0 || n > 6)
    return "bin";
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (subtype[i]))
      return "bin";
  return subtype;
}

/* "charset'language'percent-encoded" left undecoded because the bytes did not fit the
 * charset: decode it with the usual fallbacks. */
static char *
decode_rfc2231_leftover (const char *value)
{
  const char *first = strchr (value, '\'');
  const char *second = first ? strchr (first + 1, '\'') : NULL;
  g_autofree char *charset = NULL;
  g_autoptr (GByteArray) bytes = NULL;

  if (second == NULL || first == value || strchr (second, '%') == NULL)
    return NULL;
  for (const char *c = value; c < first; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.' && *c != ':')
      return NULL;

  charset = g_strndup (value, first - value);
  bytes = g_byte_array_new ();
  for (const char *c = second + 1; *c; c++)
    {
      guint8 byte = *c;

      if (*c == '%' && g_ascii_isxdigit (c[1]) && g_ascii_isxdigit (c[2]))
        {
          byte = g_ascii_xdigit_value (c[1]) * 16 + g_ascii_xdigit_value (c[2]);
          c += 2;
        }
      g_byte_array_append (bytes, &byte, 1);
    }

  return kontor_mail_decode_to_utf8 ((const char *) bytes->data, bytes->len, charset);
}

/* A file name fit to save under: no directories, no controls, not "." or "..". */
static char *
sanitize_filename (const char *name)
{
  const char *base = name;
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *c = name; *c; c++)
    if (*c == '/' || *c == '\\')
      base = c + 1;

  for (const char *c = base; *c; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (ch < 0x20 || ch == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, ch);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);

  if (out->len == 0 || strcmp (out->str, ".") == 0 || strcmp (out->str, "..") == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
part_dup_filename (CamelMimePart *part)
{
  const char *raw = camel_mime_part_get_filename (part);
  g_autofree char *fallback = header_charset (part);
  g_autofree char *name = NULL;

  if (raw != NULL && *raw != '\0')
    {
      name = decode_rfc2231_leftover (raw);
      if (name == NULL && strstr (raw, "=?") != NULL)
        name = decode_header_text (raw, fallback);
      if (name == NULL)
        name = kontor_mail_decode_to_utf8 (raw, strlen (raw), fallback);
    }
  else
    {
      const char *location = camel_medium_get_header (CAMEL_MEDIUM (part), "Content-Location");

      if (location != NULL)
        {
          g_autofree char *stripped = strip_angle_brackets (location);
          g_autofree char *unescaped = g_uri_unescape_string (stripped, NULL);
          const char *value = unescaped ? unescaped : stripped;

          if (g_utf8_validate (value, -1, NULL) && strchr (value, '?') == NULL)
            name = g_strdup (value);
        }
    }

  return name ? sanitize_filename (name) : NULL;
}

static char *
part_dup_mime_type (CamelMimePart *part, const char *name)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  g_autofree char *simple = camel_content_type_simple (ct);
  char *mime_type = simple ? g_ascii_strdown (simple, -1) : g_strdup ("application/octet-stream");

  if (strchr (mime_type, '/') == NULL)
    {
      g_free (mime_type);
      mime_type = g_strdup ("application/octet-stream");
    }

  /* A generic type says nothing; the file name may. */
  if (name != NULL && (strcmp (mime_type, "application/octet-stream") == 0 ||
                       strcmp (mime_type, "application/octetstream") == 0))
    {
      gboolean uncertain = TRUE;
      g_autofree char *guessed = g_content_type_guess (name, NULL, 0, &uncertain);
      g_autofree char *guessed_mime = guessed ? g_content_type_get_mime_type (guessed) : NULL;

      if (!uncertain && guessed_mime != NULL && strchr (guessed_mime, '/') != NULL)
        {
          g_free (mime_type);
          mime_type = g_steal_pointer (&guessed_mime);
        }
    }

  return mime_type;
}

static void
attachment_clear (KontorMailAttachment *attachment)
{
  g_free (attachment->name);
  g_free (attachment->mime_type);
  g_free (attachment->content_id);
  g_clear_object (&attachment->part);
}

KontorMailAttachment *
kontor_mail_attachment_ref (KontorMailAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, NULL);

  return g_atomic_rc_box_acquire (attachment);
}

void
kontor_mail_attachment_unref (KontorMailAttachment *attachment)
{
  g_return_if_fail (attachment != NULL);

  g_atomic_rc_box_release_full (attachment, (GDestroyNotify) attachment_clear);
}

G_DEFINE_BOXED_TYPE (KontorMailAttachment,
                     kontor_mail_attachment,
                     kontor_mail_attachment_ref,
                     kontor_mail_attachment_unref)

/**
 * kontor_mail_attachment_save:
 * @attachment: an attachment
 * @destination: the file to write; an existing file is replaced
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the decoded content of @attachment. The file is replaced atomically: on
 * failure or cancellation an existing file keeps its old content.
 *
 * Returns: %TRUE on success
 */
gboolean
kontor_mail_attachment_save (KontorMailAttachment *attachment,
                             GFile *destination,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GFileOutputStream) out = NULL;

  g_return_val_if_fail (attachment != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  out = g_file_replace (destination, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        error);
  if (out == NULL)
    return FALSE;

  if (!write_decoded (attachment->part, G_OUTPUT_STREAM (out), cancellable, error))
    {
      g_autoptr (GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the temporary file. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/* Walking the structure */

typedef struct
{
  KontorMailContent *content;
  GPtrArray *units;
  GHashTable *listed; /* parts already among the attachments */
  guint depth;
  guint message_depth;
  gboolean in_related;
} Walk;

static void walk_part (Walk *w, CamelMimePart *part, gboolean is_root);

static void
mark_broken (Walk *w, const char *problem)
{
  w->content->is_partial_or_broken = TRUE;
  if (w->content->problem == NULL)
    w->content->problem = g_strdup (problem);
}

static void
remember_cid (Walk *w, CamelMimePart *part, const char *cid)
{
  g_autofree char *key = NULL;

  if (cid == NULL || *cid == '\0')
    return;
  key = g_ascii_strdown (cid, -1);
  if (!g_hash_table_contains (w->content->priv->cids, key))
    g_hash_table_insert (w->content->priv->cids, g_steal_pointer (&key), g_object_ref (part));
}

static char *
part_dup_content_id (CamelMimePart *part)
{
  const char *cid = camel_mime_part_get_content_id (part);

  return cid && *cid ? strip_angle_brackets (cid) : NULL;
}

static void
add_unit (Walk *w, char *text, char *html, gboolean sent_as_html)
{
  Unit *unit = g_new0 (Unit, 1);

  unit->text = text ? text : g_strdup ("");
  unit->html = html;
  unit->sent_as_html = sent_as_html;
  g_ptr_array_add (w->units, unit);
}

static gboolean
is_raster_image (const char *mime_type)
{
  return strcmp (mime_type, "image/png") == 0 || strcmp (mime_type, "image/jpeg") == 0 ||
         strcmp (mime_type, "image/gif") == 0 || strcmp (mime_type, "image/webp") == 0 ||
         strcmp (mime_type, "image/bmp") == 0;
}

static KontorMailAttachment *
add_attachment (Walk *w, CamelMimePart *part, gboolean is_inline)
{
  GPtrArray *attachments = w->content->attachments;
  KontorMailAttachment *attachment;
  CamelDataWrapper *content;

  if (g_hash_table_contains (w->listed, part))
    return NULL;
  g_hash_table_add (w->listed, part);

  attachment = g_atomic_rc_box_new0 (KontorMailAttachment);
  attachment->part = g_object_ref (part);
  attachment->name = part_dup_filename (part);
  attachment->mime_type = part_dup_mime_type (part, attachment->name);
  attachment->content_id = part_dup_content_id (part);
  attachment->is_inline = is_inline;
  attachment->size = decoded_size (part);

  content = camel_medium_get_content (CAMEL_MEDIUM (part));
  if (attachment->name == NULL && CAMEL_IS_MIME_MESSAGE (content))
    {
      const char *subject = camel_mime_message_get_subject (CAMEL_MIME_MESSAGE (content));
      g_autofree char *eml = subject && *subject ? g_strconcat (subject, ".eml", NULL) : NULL;

      attachment->name = eml ? sanitize_filename (eml) : NULL;
    }
  if (attachment->name == NULL)
    attachment->name = g_strdup_printf ("attachment-%u.%s", attachments->len + 1,
                                        extension_for (attachment->mime_type));

  g_ptr_array_add (attachments, attachment);
  return attachment;
}

/* An inline image outside multipart/related stands where the sender put it. */
static void
add_inline_image (Walk *w, KontorMailAttachment *attachment)
{
  KontorMailContentPrivate *priv = w->content->priv;
  g_autofree char *cid = NULL;
  g_autofree char *escaped_cid = NULL;
  g_autofree char *escaped_name = NULL;

  if (attachment->content_id != NULL)
    cid = g_strdup (attachment->content_id);
  else
    {
      cid = g_strdup_printf ("kontor-part-%u.local", ++priv->next_synthetic_cid);
      remember_cid (w, attachment->part, cid);
    }
  attachment->is_referenced = TRUE;

  escaped_cid = g_uri_escape_string (cid, "@", FALSE);
  escaped_name = g_markup_escape_text (attachment->name, -1);
  add_unit (w, NULL,
            g_strdup_printf ("<div class=\"kontor-inline-image\"><img src=\"cid:%s\" "
                             "alt=\"%s\"></div>",
                             escaped_cid, escaped_name),
            FALSE);
}

static void
add_text_part (Walk *w, CamelMimePart *part)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  g_autofree char *text = part_dup_text (part);

  if (is_blank (text, strlen (text)))
    return;

  if (type_is (ct, "text", "html"))
    {
      char *plain = kontor_mail_html_to_text (text);
      add_unit (w, plain, g_steal_pointer (&text), TRUE);
    }
  else if (type_is (ct, "text", "enriched") || type_is (ct, "text", "richtext"))
    {
      guint32 flags = type_is (ct, "text", "richtext") ? CAMEL_MIME_FILTER_ENRICHED_IS_RICHTEXT : 0;
      char *html = camel_enriched_to_html (text, flags);

      add_unit (w, kontor_mail_html_to_text (html), html, FALSE);
    }
  else
    add_unit (w, g_steal_pointer (&text), NULL, FALSE);
}

static void
add_raw_text (Walk *w, CamelMimePart *part)
{
  g_autoptr (GBytes) bytes = kontor_mail_part_dup_bytes (part, NULL, NULL);
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;
  g_autofree char *charset = part_dup_charset (part);

  if (data != NULL && !is_blank (data, length))
    add_unit (w, kontor_mail_decode_to_utf8 (data, length, charset), NULL, FALSE);
}

static gboolean
is_readable_type (CamelContentType *ct)
{
  return ct == NULL || type_is (ct, "text", "plain") || type_is (ct, "text", "html") ||
         type_is (ct, "text", "enriched") || type_is (ct, "text", "richtext") ||
         type_is (ct, "text", "rfc822-headers") || type_is (ct, "message", "delivery-status") ||
         type_is (ct, "message", "global-delivery-status") ||
         type_is (ct, "message", "disposition-notification") ||
         type_is (ct, "message", "feedback-report");
}

static gboolean
disposition_is (CamelMimePart *part, const char *value)
{
  const char *disposition = camel_mime_part_get_disposition (part);

  return disposition != NULL && g_ascii_strcasecmp (disposition, value) == 0;
}

static void
add_headers_unit (Walk *w, CamelMimeMessage *message)
{
  CamelMimePart *part = CAMEL_MIME_PART (message);
  static const struct
  {
    const char *header;
    gboolean is_address;
  } shown[] = {
    { "From", TRUE }, { "Date", FALSE }, { "Subject", FALSE }, { "To", TRUE }, { "Cc", TRUE },
  };
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) html = g_string_new ("<div class=\"kontor-message-headers\">");
  const char *labels[G_N_ELEMENTS (shown)] = {
    C_ ("mail header", "From"), C_ ("mail header", "Date"), C_ ("mail header", "Subject"),
    C_ ("mail header", "To"),   C_ ("mail header", "Cc"),
  };

  g_string_append_printf (text, "-------- %s --------\n", _ ("Attached message"));
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_autofree char *value = shown[i].is_address ? dup_addresses (part, shown[i].header)
                                                   : dup_header (part, shown[i].header);
      g_autofree char *escaped = NULL;
      g_autofree char *escaped_label = NULL;

      if (value == NULL)
        continue;
      g_string_append_printf (text, "%s: %s\n", labels[i], value);
      escaped = g_markup_escape_text (value, -1);
      escaped_label = g_markup_escape_text (labels[i], -1);
      g_string_append_printf (html, "<div><b>%s:</b> %s</div>", escaped_label, escaped);
    }
  g_string_append (html, "</div>");

  add_unit (w, g_string_free (g_steal_pointer (&text), FALSE),
            g_string_free (g_steal_pointer (&html), FALSE), FALSE);
  ((Unit *) g_ptr_array_index (w->units, w->units->len - 1))->is_headers = TRUE;
}

static void
walk_message (Walk *w, CamelMimeMessage *message)
{
  if (w->message_depth >= MAX_MESSAGE_DEPTH)
    {
      mark_broken (w, _ ("The message encloses too many levels of messages to show them all."));
      return;
    }

  add_headers_unit (w, message);
  w->message_depth++;
  walk_part (w, CAMEL_MIME_PART (message), TRUE);
  w->message_depth--;
}

enum
{
  HAS_TEXT = 1 << 0,
  HAS_HTML = 1 << 1,
};

/* What an alternative offers: plain text, HTML (or rich text), both or neither. */
static guint
classify (CamelMimePart *part, guint depth)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  guint flags = 0;

  if (depth > 8)
    return 0;
  if (type_is (ct, "text", "plain"))
    return part_is_blank (part) ? 0 : HAS_TEXT;
  if (type_is (ct, "text", "html") || type_is (ct, "text", "enriched") ||
      type_is (ct, "text", "richtext"))
    return part_is_blank (part) ? 0 : HAS_HTML;
  if (!CAMEL_IS_MULTIPART (content))
    return 0;
  if (CAMEL_IS_MULTIPART_SIGNED (content))
    return HAS_TEXT; /* read when walked, not here */

  if (type_is (ct, "multipart", "related"))
    return camel_multipart_get_number (CAMEL_MULTIPART (content)) > 0
             ? classify (camel_multipart_get_part (CAMEL_MULTIPART (content), 0), depth + 1)
             : 0;

  for (guint i = 0; i < camel_multipart_get_number (CAMEL_MULTIPART (content)); i++)
    flags |= classify (camel_multipart_get_part (CAMEL_MULTIPART (content), i), depth + 1);
  return flags;
}

static char *
join_texts (GPtrArray *units)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < units->len; i++)
    {
      Unit *unit = g_ptr_array_index (units, i);
      const char *text = unit->text;
      gsize len;

      /* Leading empty lines go, the first line's indentation stays. */
      for (const char *p = text; *p && g_ascii_isspace (*p); p++)
        if (*p == '\n')
          text = p + 1;
      len = strlen (text);
      while (len > 0 && g_ascii_isspace (text[len - 1]))
        len--;
      if (len == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, "\n\n");
      g_string_append_len (out, text, len);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
walk_alternative (Walk *w, CamelMultipart *multipart)
{
  guint n = camel_multipart_get_number (multipart);
  int html_index = -1;
  int text_index = -1;
  GPtrArray *outer = w->units;

  /* The last alternative is the sender's best: take the last HTML one for the
   * document and the last plain one for the text. */
  for (guint i = 0; i < n; i++)
    {
      guint flags = classify (camel_multipart_get_part (multipart, i), 0);

      if (flags & HAS_HTML)
        html_index = i;
      else if (flags & HAS_TEXT)
        text_index = i;
    }

  if (html_index >= 0 && text_index >= 0)
    {
      g_autoptr (GPtrArray) html_units =
        g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
      g_autoptr (GPtrArray) text_units =
        g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);

      w->units = html_units;
      walk_part (w, camel_multipart_get_part (multipart, html_index), FALSE);
      w->units = text_units;
      walk_part (w, camel_multipart_get_part (multipart, text_index), FALSE);
      w->units = outer;

      if (html_units->len == 1 && text_units->len > 0)
        {
          Unit *unit = g_ptr_array_index (html_units, 0);

          g_free (unit->text);
          unit->text = join_texts (text_units);
        }
      for (guint i = 0; i < html_units->len; i++)
        g_ptr_array_add (outer, g_ptr_array_steal_index (html_units, i--));
    }
  else if (html_index >= 0 || text_index >= 0)
    walk_part (w, camel_multipart_get_part (multipart, MAX (html_index, text_index)), FALSE);

  /* Alternatives that are no body, such as an invitation's text/calendar, stay
   * reachable as attachments. */
  for (guint i = 0; i < n; i++)
    {
      CamelMimePart *part = camel_multipart_get_part (multipart, i);
      g_autoptr (CamelContentType) ct = part_ref_content_type (part);

      if ((int) i == html_index || (int) i == text_index || is_readable_type (ct) ||
          type_is (ct, "multipart", "*"))
        continue;
      if (type_is (ct, "message", "*"))
        walk_part (w, part, FALSE);
      else
        add_attachment (w, part, FALSE);
    }
}

static void
walk_related (Walk *w, CamelMimePart *part, CamelMultipart *multipart)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  const char *start = camel_content_type_param (ct, "start");
  guint n = camel_multipart_get_number (multipart);
  CamelMimePart *root = NULL;
  gboolean was_in_related = w->in_related;

  if (start != NULL)
    {
      g_autofree char *start_id = strip_angle_brackets (start);

      for (guint i = 0; i < n && root == NULL; i++)
        {
          g_autofree char *cid = part_dup_content_id (camel_multipart_get_part (multipart, i));
          if (cid != NULL && strcmp (cid, start_id) == 0)
            root = camel_multipart_get_part (multipart, i);
        }
    }
  if (root == NULL)
    root = camel_multipart_get_part (multipart, 0);

  walk_part (w, root, FALSE);

  w->in_related = TRUE;
  for (guint i = 0; i < n; i++)
    {
      CamelMimePart *child = camel_multipart_get_part (multipart, i);

      if (child == root)
        continue;
      g_autoptr (CamelContentType) child_ct = part_ref_content_type (child);

      if (type_is (child_ct, "multipart", "*"))
        walk_part (w, child, FALSE);
      else
        {
          g_autofree char *cid = part_dup_content_id (child);

          remember_cid (w, child, cid);
          add_attachment (w, child, !disposition_is (child, "attachment"));
        }
    }
  w->in_related = was_in_related;
}

/* Parses @data as the body of a multipart/@subtype. Without @boundary (a header like
 * "multipart/mixed boundary=..." that lost its semicolon) the first delimiter line of
 * the body gives it. */
static CamelMultipart *
reparse_multipart (Walk *w,
                   const char *subtype,
                   const char *boundary,
                   const char *data,
                   gsize length)
{
  g_autoptr (GByteArray) source = NULL;
  g_autoptr (CamelStream) stream = NULL;
  g_autofree char *found = NULL;
  g_autofree char *header = NULL;
  CamelMimePart *part;
  CamelDataWrapper *content = NULL;
  const char *p = data;
  const char *end = data + length;

  if (data == NULL || subtype == NULL || strpbrk (subtype, "\"\r\n;") != NULL)
    return NULL;

  while (boundary == NULL && p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize n = (eol ? eol : end) - p;

      while (n > 0 && g_ascii_isspace (p[n - 1]))
        n--;
      if (n > 2 && n < 200 && p[0] == '-' && p[1] == '-')
        boundary = found = g_strndup (p + 2, n - 2);
      p = eol ? eol + 1 : end;
    }
  if (boundary == NULL || *boundary == '\0' || strpbrk (boundary, "\"\\\r\n") != NULL)
    return NULL;

  header =
    g_strdup_printf ("Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\n", subtype, boundary);
  source = g_byte_array_new ();
  g_byte_array_append (source, (const guint8 *) header, strlen (header));
  g_byte_array_append (source, (const guint8 *) data, length);
  stream = camel_stream_mem_new_with_byte_array (g_byte_array_ref (source));

  part = camel_mime_part_new ();
  g_ptr_array_add (w->content->priv->keep, part);
  if (camel_data_wrapper_construct_from_stream_sync (CAMEL_DATA_WRAPPER (part), stream, NULL, NULL))
    content = camel_medium_get_content (CAMEL_MEDIUM (part));
  if (!CAMEL_IS_MULTIPART (content) || CAMEL_IS_MULTIPART_SIGNED (content) ||
      camel_multipart_get_number (CAMEL_MULTIPART (content)) == 0)
    return NULL;

  return CAMEL_MULTIPART (content);
}

static CamelMultipart *
repair_multipart (Walk *w, CamelMimePart *part, CamelContentType *ct)
{
  g_autoptr (GBytes) bytes = kontor_mail_part_dup_bytes (part, NULL, NULL);
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  return reparse_multipart (w, ct->subtype, NULL, data, length);
}

/* Camel parses a multipart/signed on first use and fails with criticals when it is
 * malformed; read its body as an ordinary multipart instead, signature and all. */
static CamelMultipart *
signed_as_multipart (Walk *w, CamelMultipartSigned *multipart, CamelContentType *ct)
{
  GByteArray *raw = camel_data_wrapper_get_byte_array (CAMEL_DATA_WRAPPER (multipart));

  if (raw == NULL || raw->len == 0)
    return NULL;
  return reparse_multipart (w, "mixed", camel_content_type_param (ct, "boundary"),
                            (const char *) raw->data, raw->len);
}

static void
walk_multipart (Walk *w, CamelMimePart *part, CamelContentType *ct, gboolean is_root)
{
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  CamelMultipart *multipart;
  guint n;

  if (CAMEL_IS_MULTIPART_SIGNED (content))
    multipart = signed_as_multipart (w, CAMEL_MULTIPART_SIGNED (content), ct);
  else if (CAMEL_IS_MULTIPART (content))
    multipart = CAMEL_MULTIPART (content);
  else
    {
      multipart = repair_multipart (w, part, ct);
      mark_broken (w,
                   _ ("Part of the message is damaged; it is shown as well as it could be read."));
    }

  if (multipart == NULL)
    {
      mark_broken (w,
                   _ ("Part of the message is damaged; it is shown as well as it could be read."));
      add_raw_text (w, part);
      return;
    }

  n = camel_multipart_get_number (multipart);
  if (n == 0)
    {
      const char *preface = camel_multipart_get_preface (multipart);

      mark_broken (w,
                   _ ("Part of the message is damaged; it is shown as well as it could be read."));
      if (preface != NULL && !is_blank (preface, strlen (preface)))
        add_unit (w, kontor_mail_decode_to_utf8 (preface, strlen (preface), NULL), NULL, FALSE);
      return;
    }

  if (type_is (ct, "multipart", "signed"))
    {
      if (w->message_depth == 0)
        w->content->is_signed = TRUE;
      for (guint i = 0; i < n; i++)
        {
          CamelMimePart *child = camel_multipart_get_part (multipart, i);
          g_autoptr (CamelContentType) child_ct = part_ref_content_type (child);

          if (i > 0 && (type_is (child_ct, "application", "pgp-signature") ||
                        type_is (child_ct, "application", "pkcs7-signature") ||
                        type_is (child_ct, "application", "x-pkcs7-signature")))
            continue;
          walk_part (w, child, FALSE);
        }
    }
  else if (type_is (ct, "multipart", "encrypted"))
    {
      w->content->is_encrypted = TRUE;
      for (guint i = 0; i < n; i++)
        {
          CamelMimePart *child = camel_multipart_get_part (multipart, i);
          g_autoptr (CamelContentType) child_ct = part_ref_content_type (child);

          if (!type_is (child_ct, "application", "pgp-encrypted"))
            add_attachment (w, child, FALSE);
        }
    }
  else if (type_is (ct, "multipart", "alternative"))
    walk_alternative (w, multipart);
  else if (type_is (ct, "multipart", "related"))
    walk_related (w, part, multipart);
  else
    {
      gboolean was_in_related = w->in_related;

      w->in_related = FALSE;
      for (guint i = 0; i < n; i++)
        walk_part (w, camel_multipart_get_part (multipart, i), FALSE);
      w->in_related = was_in_related;
    }
}

static void
walk_part (Walk *w, CamelMimePart *part, gboolean is_root)
{
  g_autoptr (CamelContentType) ct = part_ref_content_type (part);
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  g_autofree char *cid = part_dup_content_id (part);

  if (w->depth >= MAX_MIME_DEPTH)
    {
      mark_broken (w, _ ("The message is nested too deeply to be shown in full."));
      return;
    }
  w->depth++;
  remember_cid (w, part, cid);

  if (type_is (ct, "multipart", "*"))
    walk_multipart (w, part, ct, is_root);
  else if (type_is (ct, "message", "rfc822") || type_is (ct, "message", "news") ||
           type_is (ct, "message", "global"))
    {
      if (CAMEL_IS_MIME_MESSAGE (content))
        {
          if (!is_root &&
              (disposition_is (part, "attachment") || camel_mime_part_get_filename (part) != NULL))
            add_attachment (w, part, FALSE);
          walk_message (w, CAMEL_MIME_MESSAGE (content));
        }
      else
        add_raw_text (w, part);
    }
  else if (type_is (ct, "message", "partial"))
    {
      mark_broken (w, _ ("This is one fragment of a message that was sent in several parts; it "
                         "cannot be shown on its own."));
      add_attachment (w, part, FALSE);
    }
  else if (type_is (ct, "application", "pkcs7-mime") || type_is (ct, "application", "x-pkcs7-mime"))
    {
      const char *smime_type = camel_content_type_param (ct, "smime-type");

      if (smime_type != NULL && g_ascii_strcasecmp (smime_type, "signed-data") == 0)
        w->content->is_signed = w->content->is_signed || w->message_depth == 0;
      else
        w->content->is_encrypted = TRUE;
      add_attachment (w, part, FALSE);
    }
  else if (is_readable_type (ct) && (is_root || !disposition_is (part, "attachment")))
    add_text_part (w, part);
  else
    {
      gboolean is_inline = disposition_is (part, "inline");
      KontorMailAttachment *attachment = add_attachment (w, part, is_inline);

      if (attachment != NULL && is_inline && !w->in_related &&
          is_raster_image (attachment->mime_type))
        add_inline_image (w, attachment);
    }

  w->depth--;
}

/* The content */

static void
content_clear (KontorMailContent *content)
{
  KontorMailContentPrivate *priv = content->priv;

  g_free (content->subject);
  g_free (content->from);
  g_free (content->to);
  g_free (content->cc);
  g_free (content->reply_to);
  g_free (content->message_id);
  g_free (content->text);
  g_free (content->html);
  g_free (content->problem);
  g_clear_pointer (&content->attachments, g_ptr_array_unref);

  g_clear_object (&priv->message);
  g_clear_pointer (&priv->units, g_ptr_array_unref);
  g_clear_pointer (&priv->cids, g_hash_table_unref);
  g_clear_pointer (&priv->keep, g_ptr_array_unref);
  g_free (priv);
}

KontorMailContent *
kontor_mail_content_ref (KontorMailContent *content)
{
  g_return_val_if_fail (content != NULL, NULL);

  return g_atomic_rc_box_acquire (content);
}

void
kontor_mail_content_unref (KontorMailContent *content)
{
  g_return_if_fail (content != NULL);

  g_atomic_rc_box_release_full (content, (GDestroyNotify) content_clear);
}

G_DEFINE_BOXED_TYPE (KontorMailContent,
                     kontor_mail_content,
                     kontor_mail_content_ref,
                     kontor_mail_content_unref)

static void
read_headers (KontorMailContent *content, CamelMimeMessage *message)
{
  CamelMimePart *part = CAMEL_MIME_PART (message);
  const char *message_id = camel_mime_message_get_message_id (message);
  const char *raw_date = camel_medium_get_header (CAMEL_MEDIUM (message), "Date");
  time_t date = 0;

  /* Camel reads an empty or unreadable date as 1900 or as "now"; neither was sent. */
  if (raw_date != NULL && !is_blank (raw_date, strlen (raw_date)))
    date = camel_header_decode_date (raw_date, NULL);
  if (date <= -2208988800 || date == (time_t) CAMEL_MESSAGE_DATE_CURRENT)
    date = 0;

  content->subject = dup_header (part, "Subject");
  content->from = dup_addresses (part, "From");
  content->to = dup_addresses (part, "To");
  content->cc = dup_addresses (part, "Cc");
  content->reply_to = dup_addresses (part, "Reply-To");
  content->date = date;

  if (message_id != NULL && *message_id != '\0')
    content->message_id = kontor_mail_decode_to_utf8 (message_id, strlen (message_id), NULL);
  else
    {
      const char *raw = camel_medium_get_header (CAMEL_MEDIUM (message), "Message-ID");
      g_autofree char *stripped = raw ? strip_angle_brackets (raw) : NULL;

      if (stripped != NULL && *stripped != '\0')
        content->message_id = kontor_mail_decode_to_utf8 (stripped, strlen (stripped), NULL);
    }
}

/**
 * kontor_mail_content_new:
 * @message: a parsed message
 *
 * Reads @message for display. This decodes every part and may take a while for a
 * large message: call it from a worker thread.
 *
 * Returns: (transfer full): the content
 */
KontorMailContent *
kontor_mail_content_new (CamelMimeMessage *message)
{
  KontorMailContent *content;
  KontorMailContentPrivate *priv;
  Walk w = { 0 };

  g_return_val_if_fail (CAMEL_IS_MIME_MESSAGE (message), NULL);

  content = g_atomic_rc_box_new0 (KontorMailContent);
  priv = content->priv = g_new0 (KontorMailContentPrivate, 1);
  priv->message = g_object_ref (message);
  priv->units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
  priv->cids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  priv->keep = g_ptr_array_new_with_free_func (g_object_unref);
  content->attachments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_attachment_unref);

  read_headers (content, message);

  w.content = content;
  w.units = priv->units;
  w.listed = g_hash_table_new (NULL, NULL);
  walk_part (&w, CAMEL_MIME_PART (message), TRUE);
  g_hash_table_unref (w.listed);

  content->text = join_texts (priv->units);

  for (guint i = 0; i < priv->units->len; i++)
    {
      Unit *unit = g_ptr_array_index (priv->units, i);
      g_autoptr (GHashTable) cids = NULL;

      if (!unit->sent_as_html)
        continue;
      if (content->html == NULL)
        content->html = g_strdup (unit->html);

      cids = kontor_mail_html_dup_cid_references (unit->html);
      for (guint j = 0; j < content->attachments->len; j++)
        {
          KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, j);
          g_autofree char *key =
            attachment->content_id ? g_ascii_strdown (attachment->content_id, -1) : NULL;

          if (key != NULL && g_hash_table_contains (cids, key))
            attachment->is_referenced = TRUE;
        }
    }

  return content;
}

/**
 * kontor_mail_content_get_message:
 * @content: a #KontorMailContent
 *
 * Returns: (transfer none): the message @content was read from
 */
CamelMimeMessage *
kontor_mail_content_get_message (KontorMailContent *content)
{
  g_return_val_if_fail (content != NULL, NULL);

  return content->priv->message;
}

/**
 * kontor_mail_content_find_cid:
 * @content: a #KontorMailContent
 * @cid: a Content-ID, as "cid:..." URI (percent-encoded) or bare, with or without <>
 *
 * Finds the part a cid: URI of the document refers to, for the reader's URI handler.
 *
 * Returns: (transfer none) (nullable): the part, or %NULL
 */
CamelMimePart *
kontor_mail_content_find_cid (KontorMailContent *content, const char *cid)
{
  g_autofree char *unescaped = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (cid != NULL, NULL);

  if (g_ascii_strncasecmp (cid, "cid:", 4) == 0)
    {
      cid += 4;
      unescaped = g_uri_unescape_string (cid, NULL);
      if (unescaped != NULL)
        cid = unescaped;
    }

  id = strip_angle_brackets (cid);
  key = g_ascii_strdown (id, -1);
  return g_hash_table_lookup (content->priv->cids, key);
}

/**
 * kontor_mail_content_build_document:
 * @content: a #KontorMailContent
 * @allow_remote: whether remote images, media, fonts and styles may load
 *
 * Builds the document the reader shows: the HTML body (or the text, rendered), inline
 * images and enclosed messages in order, under a Content-Security-Policy that allows
 * no scripts, frames or objects, and remote resources only with @allow_remote.
 *
 * Returns: (transfer full): a complete HTML document
 */
char *
kontor_mail_content_build_document (KontorMailContent *content, gboolean allow_remote)
{
  GPtrArray *units;
  g_autoptr (GString) body = g_string_new (NULL);
  gboolean is_html = FALSE;

  g_return_val_if_fail (content != NULL, NULL);

  units = content->priv->units;
  for (guint i = 0; i < units->len; i++)
    {
      Unit *unit = g_ptr_array_index (units, i);

      is_html = is_html || unit->sent_as_html;
      if (unit->is_headers && i > 0)
        g_string_append (body, "<hr class=\"kontor-part-separator\">");
      if (unit->html != NULL)
        g_string_append (body, unit->html);
      else
        {
          g_autofree char *html = kontor_mail_text_to_html (unit->text);
          g_string_append (body, html);
        }
      g_string_append_c (body, '\n');
    }

  return kontor_mail_html_build_document (body->str, is_html, allow_remote);
}

/**
 * kontor_mail_content_has_remote_content:
 * @content: a #KontorMailContent
 *
 * Whether the HTML of @content refers to remote resources that the document blocks
 * unless allowed, for a "Show remote content" banner.
 *
 * Returns: %TRUE if something remote would load
 */
gboolean
kontor_mail_content_has_remote_content (KontorMailContent *content)
{
  GPtrArray *units;

  g_return_val_if_fail (content != NULL, FALSE);

  units = content->priv->units;
  for (guint i = 0; i < units->len; i++)
    {
      Unit *unit = g_ptr_array_index (units, i);

      if (unit->sent_as_html && kontor_mail_html_has_remote_content (unit->html))
        return TRUE;
    }
  return FALSE;
}

/**
 * kontor_mail_message_dup_source:
 * @message: a parsed message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns @message in RFC 5322 form, headers as received, for "view source" and for
 * saving. Unlike camel_data_wrapper_write_to_stream_sync(), this adds no Date, Subject
 * or Message-ID to a message (or an enclosed one) that lacks them.
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
GBytes *
kontor_mail_message_dup_source (CamelMimeMessage *message,
                                GCancellable *cancellable,
                                GError **error)
{
  g_autoptr (GOutputStream) out = NULL;

  g_return_val_if_fail (CAMEL_IS_MIME_MESSAGE (message), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_memory_output_stream_new_resizable ();
  if (!write_part_source (CAMEL_MIME_PART (message), out, cancellable, error) ||
      !g_output_stream_close (out, cancellable, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Parsing */

/**
 * kontor_mail_message_from_bytes:
 * @bytes: a message in RFC 5322 form (a .eml file)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parsed message, or %NULL with @error set
 */
CamelMimeMessage *
kontor_mail_message_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr (CamelStream) stream = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (length == 0 || is_blank (data, length))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("The message is empty"));
      return NULL;
    }

  stream = camel_stream_mem_new_with_buffer (data, length);
  message = camel_mime_message_new ();
  if (!camel_data_wrapper_construct_from_stream_sync (CAMEL_DATA_WRAPPER (message), stream, NULL,
                                                      error))
    return NULL;

  return g_steal_pointer (&message);
}

/**
 * kontor_mail_message_from_file:
 * @file: a .eml file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parsed message, or %NULL with @error set
 */
CamelMimeMessage *
kontor_mail_message_from_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;

  return kontor_mail_message_from_bytes (bytes, error);
}
