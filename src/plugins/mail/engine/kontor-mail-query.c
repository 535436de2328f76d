/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-query.c: parses the search bar's language into terms and writes them as a
 * Camel folder search expression.
 *
 * The language: `from:` `to:` `cc:` `subject:` `body:` with a value, `has:attachment`,
 * `is:unread` `is:read` `is:flagged`, `before:DATE` `after:DATE`, and free text. Every
 * term must match; a leading `-` negates one. Keys and the words after `is:`/`has:` are
 * case-insensitive; a `key:` that is not one of these is free text, so is anything
 * quoted (`"from:x"`). Values may be quoted (`from:"Ada Lovelace"`, `"exact phrase"`);
 * inside quotes `\"` and `\\` stand for `"` and `\`. Text matches as a case-insensitive
 * substring, a quoted phrase as a whole. Free text looks at Subject, From, To and Cc,
 * never at the body: `body:` has to be asked for, because it reads whole messages.
 *
 * Dates are days in local time (YYYY-MM-DD, `today`, `yesterday`, compared with the
 * Date header): `before:D` means sent before D began, `after:D` sent after D ended, so
 * neither includes D itself and `after:yesterday` is today's mail.
 *
 * How the expression is shaped matters for speed. Flag and date terms alone translate
 * to SQL on the folder summary's database. Header terms run over the summary in memory
 * (Camel 3.46 never sends `header-contains` to SQL) but never load a message. The terms of
 * both kinds share one `match-all`, cheap ones first: Camel's `and` stops at the first
 * false. Each `body:` term gets its own `match-all`, the shape IMAPX turns into one
 * server-side SEARCH; mixed into the header terms' `match-all` it would be asked once
 * per message, or fail. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include <camel/camel.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "kontor-mail-query.h"

typedef enum
{
  TERM_TEXT,
  TERM_FROM,
  TERM_TO,
  TERM_CC,
  TERM_SUBJECT,
  TERM_BODY,
  TERM_ATTACHMENT,
  TERM_UNREAD,
  TERM_READ,
  TERM_FLAGGED,
  TERM_BEFORE,
  TERM_AFTER,
} TermKind;

typedef struct
{
  TermKind kind;
  gboolean negated;
  char *value; /* the text to look for, for TEXT and the header and body keys */
  gint64 time; /* for BEFORE and AFTER: the start of the first day not wanted */
} Term;

struct _KontorMailQuery
{
  GPtrArray *terms; /* of Term */
};

static const struct
{
  const char *key;
  TermKind kind;
} text_keys[] = {
  { "from", TERM_FROM },       { "to", TERM_TO },     { "cc", TERM_CC },
  { "subject", TERM_SUBJECT }, { "body", TERM_BODY },
};

/* The summary headers, in the order free text tries them. */
static const char *const text_headers[] = { "subject", "from", "to", "cc" };

static void
term_free (gpointer data)
{
  Term *term = data;

  g_free (term->value);
  g_free (term);
}

static gboolean
is_space_at (const char *p)
{
  return g_unichar_isspace (g_utf8_get_char (p));
}

static gint64
clamp_time (gint64 time)
{
  /* Camel's expression language has 32-bit integers and no negative literals. */
  return CLAMP (time, 0, G_MAXINT32);
}

/* The start of @date in local time, as seconds since the epoch. */
static gint64
start_of_day (const GDate *date)
{
  g_autoptr (GDateTime) dt = NULL;

  dt = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 0, 0, 0);
  return dt != NULL ? clamp_time (g_date_time_to_unix (dt)) : G_MAXINT32;
}

static gboolean
parse_number (const char **p, guint max_digits, guint *out_value)
{
  guint n = 0;
  guint value = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      value = value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  *out_value = value;
  return n > 0;
}

/* YYYY-MM-DD (one-digit month and day allowed), "today" or "yesterday". */
static gboolean
parse_date (const char *value, GDate *out_date)
{
  const char *p = value;
  guint year, month, day;

  g_date_clear (out_date, 1);

  if (g_ascii_strcasecmp (value, "today") == 0 || g_ascii_strcasecmp (value, "yesterday") == 0)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();

      g_date_set_dmy (out_date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
      if (g_ascii_strcasecmp (value, "yesterday") == 0)
        g_date_subtract_days (out_date, 1);
      return TRUE;
    }

  if (!parse_number (&p, 4, &year) || p - value != 4 || *p++ != '-')
    return FALSE;
  if (!parse_number (&p, 2, &month) || *p++ != '-')
    return FALSE;
  if (!parse_number (&p, 2, &day) || *p != '\0')
    return FALSE;
  if (year == 0 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_set_dmy (out_date, day, month, year);
  return TRUE;
}

/* Checks a `key:value` term and fills in @term; @raw is the term as typed. */
static gboolean
parse_key_value (Term *term, const char *key, const char *value, const char *raw, GError **error)
{
  GDate date;

  for (guint i = 0; i < G_N_ELEMENTS (text_keys); i++)
    {
      if (g_ascii_strcasecmp (key, text_keys[i].key) == 0)
        {
          term->kind = text_keys[i].kind;
          term->value = g_strdup (value);
          return TRUE;
        }
    }

  if (g_ascii_strcasecmp (key, "has") == 0)
    {
      if (g_ascii_strcasecmp (value, "attachment") == 0)
        {
          term->kind = TERM_ATTACHMENT;
          return TRUE;
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is a search term as the user typed it */
                   _ ("Unknown search term “%s”: use has:attachment"), raw);
      return FALSE;
    }

  if (g_ascii_strcasecmp (key, "is") == 0)
    {
      if (g_ascii_strcasecmp (value, "unread") == 0)
        term->kind = TERM_UNREAD;
      else if (g_ascii_strcasecmp (value, "read") == 0)
        term->kind = TERM_READ;
      else if (g_ascii_strcasecmp (value, "flagged") == 0)
        term->kind = TERM_FLAGGED;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a search term as the user typed it */
                       _ ("Unknown search term “%s”: use is:unread, is:read or is:flagged"), raw);
          return FALSE;
        }
      return TRUE;
    }

  /* before: and after: are what is left. */
  if (!parse_date (value, &date))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is a search term as the user typed it; keep
                    * YYYY-MM-DD, "today" and "yesterday" as they are */
                   _ ("“%s” has no valid date: use YYYY-MM-DD, today or yesterday"), raw);
      return FALSE;
    }

  if (g_ascii_strcasecmp (key, "before") == 0)
    {
      term->kind = TERM_BEFORE;
      term->time = start_of_day (&date);
    }
  else
    {
      term->kind = TERM_AFTER;
      if (g_date_get_year (&date) >= 9999)
        term->time = G_MAXINT32;
      else
        {
          g_date_add_days (&date, 1);
          term->time = start_of_day (&date);
        }
    }
  return TRUE;
}

static gboolean
is_known_key (const char *key)
{
  static const char *const other_keys[] = { "has", "is", "before", "after" };

  for (guint i = 0; i < G_N_ELEMENTS (text_keys); i++)
    if (g_ascii_strcasecmp (key, text_keys[i].key) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (other_keys); i++)
    if (g_ascii_strcasecmp (key, other_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Appends the character at @p, returns the next one. */
static const char *
append_char (GString *word, const char *p)
{
  const char *next = g_utf8_next_char (p);

  g_string_append_len (word, p, next - p);
  return next;
}

/* Reads one term at *@inout, shell-like: bare text and quoted parts up to a space.
 * Sets *@out_term to NULL for a term that asks for nothing (a lone `-`, `""`). */
static gboolean
read_term (const char **inout, Term **out_term, GError **error)
{
  const char *start = *inout;
  const char *p = start;
  g_autoptr (GString) word = g_string_new (NULL);
  g_autofree char *raw = NULL;
  gboolean negated = FALSE;
  gboolean key_possible = TRUE; /* no quote yet, so a colon may still end a key */
  gssize colon = -1;            /* where the key ends in @word */
  Term *term;

  *out_term = NULL;

  if (*p == '-')
    {
      negated = TRUE;
      p++;
    }

  while (*p != '\0' && !is_space_at (p))
    {
      if (*p == '"')
        {
          if (colon < 0)
            key_possible = FALSE;
          p++;
          while (*p != '"')
            {
              if (*p == '\0')
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               /* Translators: %s is a search term as the user typed it */
                               _ ("Missing closing quote in “%s”"), start);
                  return FALSE;
                }
              if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
              p = append_char (word, p);
            }
          p++;
          continue;
        }

      if (*p == ':' && colon < 0 && key_possible)
        {
          g_autofree char *key = g_strndup (word->str, word->len);

          if (is_known_key (key))
            colon = (gssize) word->len;
          else
            key_possible = FALSE;
        }
      p = append_char (word, p);
    }

  *inout = p;
  raw = g_strndup (start, p - start);

  if (colon >= 0)
    {
      g_autofree char *key = g_strndup (word->str, colon);
      const char *value = word->str + colon + 1;

      if (*value == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a search term such as "from:" */
                       _ ("“%s” needs a value"), raw);
          return FALSE;
        }

      term = g_new0 (Term, 1);
      term->negated = negated;
      if (!parse_key_value (term, key, value, raw, error))
        {
          term_free (term);
          return FALSE;
        }
      *out_term = term;
      return TRUE;
    }

  if (word->len == 0)
    return TRUE;

  term = g_new0 (Term, 1);
  term->kind = TERM_TEXT;
  term->negated = negated;
  term->value = g_strndup (word->str, word->len);
  *out_term = term;
  return TRUE;
}

/**
 * kontor_mail_query_parse:
 * @text: what the user typed
 * @error: return location for a #GError
 *
 * Parses a search. An empty or blank @text is a valid query that matches every
 * message. Errors are %G_IO_ERROR_INVALID_ARGUMENT with a message that names the
 * term at fault, fit to show to the user.
 *
 * Returns: (transfer full): the query, or %NULL with @error set
 */
KontorMailQuery *
kontor_mail_query_parse (const char *text, GError **error)
{
  g_autoptr (KontorMailQuery) query = NULL;
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("The search text is not valid UTF-8"));
      return NULL;
    }

  query = g_new0 (KontorMailQuery, 1);
  query->terms = g_ptr_array_new_with_free_func (term_free);

  for (;;)
    {
      Term *term;

      while (*p != '\0' && is_space_at (p))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      if (!read_term (&p, &term, error))
        return NULL;
      if (term != NULL)
        g_ptr_array_add (query->terms, term);
    }

  return g_steal_pointer (&query);
}

/**
 * kontor_mail_query_free:
 * @query: (nullable): a query
 */
void
kontor_mail_query_free (KontorMailQuery *query)
{
  if (query == NULL)
    return;

  g_ptr_array_unref (query->terms);
  g_free (query);
}

/**
 * kontor_mail_query_is_empty:
 * @query: a query
 *
 * Returns: whether @query has no terms, and so matches every message
 */
gboolean
kontor_mail_query_is_empty (const KontorMailQuery *query)
{
  g_return_val_if_fail (query != NULL, TRUE);

  return query->terms->len == 0;
}

/**
 * kontor_mail_query_needs_body:
 * @query: a query
 *
 * Returns: whether @query has `body:` terms, which read whole messages (or ask the
 *   server) and so are slow on large folders
 */
gboolean
kontor_mail_query_needs_body (const KontorMailQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);

  for (guint i = 0; i < query->terms->len; i++)
    {
      const Term *term = g_ptr_array_index (query->terms, i);

      if (term->kind == TERM_BODY)
        return TRUE;
    }
  return FALSE;
}

/* Camel splits the value of header-contains and body-contains into words at spaces,
 * each matched on its own, unless they are in quotes; a backslash escapes. Quoting
 * makes a phrase match as typed. */
static void
append_text (GString *sexp, const char *value)
{
  g_autoptr (GString) words = g_string_new (NULL);
  gboolean needs_quotes = FALSE;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '"' || *p == '\\' || is_space_at (p))
        {
          needs_quotes = TRUE;
          break;
        }
    }

  if (!needs_quotes)
    {
      camel_sexp_encode_string (sexp, value);
      return;
    }

  g_string_append_c (words, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (words, '\\');
      g_string_append_c (words, *p);
    }
  g_string_append_c (words, '"');
  camel_sexp_encode_string (sexp, words->str);
}

static void
append_header_contains (GString *sexp, const char *header, const char *value)
{
  g_string_append_printf (sexp, "(header-contains \"%s\"", header);
  append_text (sexp, value);
  g_string_append_c (sexp, ')');
}

/* Whether the test written for @term is negated. Some terms have a natural opposite
 * (unread is "not seen", after is "not before"); the rest are negated when asked. */
static gboolean
term_negated (const Term *term)
{
  switch (term->kind)
    {
      case TERM_UNREAD:
      case TERM_READ:
        return (term->kind == TERM_UNREAD) != term->negated;
      case TERM_BEFORE:
      case TERM_AFTER:
        return (term->kind == TERM_AFTER) != term->negated;
      default:
        return term->negated;
    }
}

/* A term as a per-message test, for inside match-all. */
static void
append_term (GString *sexp, const Term *term)
{
  gboolean negated = term_negated (term);

  if (negated)
    g_string_append (sexp, "(not ");

  switch (term->kind)
    {
      case TERM_TEXT:
        g_string_append (sexp, "(or");
        for (guint i = 0; i < G_N_ELEMENTS (text_headers); i++)
          {
            g_string_append_c (sexp, ' ');
            append_header_contains (sexp, text_headers[i], term->value);
          }
        g_string_append_c (sexp, ')');
        break;
      case TERM_FROM:
        append_header_contains (sexp, "from", term->value);
        break;
      case TERM_TO:
        append_header_contains (sexp, "to", term->value);
        break;
      case TERM_CC:
        append_header_contains (sexp, "cc", term->value);
        break;
      case TERM_SUBJECT:
        append_header_contains (sexp, "subject", term->value);
        break;
      case TERM_BODY:
        g_string_append (sexp, "(body-contains");
        append_text (sexp, term->value);
        g_string_append_c (sexp, ')');
        break;
      case TERM_ATTACHMENT:
        g_string_append (sexp, "(system-flag \"Attachments\")");
        break;
      case TERM_UNREAD:
      case TERM_READ:
        g_string_append (sexp, "(system-flag \"Seen\")");
        break;
      case TERM_FLAGGED:
        g_string_append (sexp, "(system-flag \"Flagged\")");
        break;
      case TERM_BEFORE:
      case TERM_AFTER:
        g_string_append_printf (sexp, "(< (get-sent-date) %" G_GINT64_FORMAT ")", term->time);
        break;
      default:
        g_assert_not_reached ();
    }

  if (negated)
    g_string_append_c (sexp, ')');
}

static gboolean
is_header_term (const Term *term)
{
  return term->kind <= TERM_SUBJECT;
}

/**
 * kontor_mail_query_to_sexp:
 * @query: a query
 *
 * Writes @query as an expression for camel_folder_search_by_expression(). The result
 * depends only on @query (`today` was resolved when parsing).
 *
 * Returns: (transfer full): a Camel search expression
 */
char *
kontor_mail_query_to_sexp (const KontorMailQuery *query)
{
  g_autoptr (GString) sexp = g_string_new (NULL);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tests = g_ptr_array_new ();

  g_return_val_if_fail (query != NULL, NULL);

  /* Flags and dates first, then headers: match-all's `and` stops at the first false. */
  for (guint i = 0; i < query->terms->len; i++)
    {
      const Term *term = g_ptr_array_index (query->terms, i);

      if (term->kind != TERM_BODY && !is_header_term (term))
        g_ptr_array_add (tests, (gpointer) term);
    }
  for (guint i = 0; i < query->terms->len; i++)
    {
      const Term *term = g_ptr_array_index (query->terms, i);

      if (is_header_term (term))
        g_ptr_array_add (tests, (gpointer) term);
    }

  if (tests->len > 0)
    {
      g_autoptr (GString) part = g_string_new ("(match-all ");

      if (tests->len > 1)
        g_string_append (part, "(and");
      for (guint i = 0; i < tests->len; i++)
        {
          if (tests->len > 1)
            g_string_append_c (part, ' ');
          append_term (part, g_ptr_array_index (tests, i));
        }
      if (tests->len > 1)
        g_string_append_c (part, ')');
      g_string_append_c (part, ')');
      g_ptr_array_add (parts, g_string_free (g_steal_pointer (&part), FALSE));
    }

  for (guint i = 0; i < query->terms->len; i++)
    {
      const Term *term = g_ptr_array_index (query->terms, i);
      g_autoptr (GString) part = NULL;
      Term positive;

      if (term->kind != TERM_BODY)
        continue;

      /* (not) outside the match-all, so IMAPX still sees a lone body-contains. */
      positive = *term;
      positive.negated = FALSE;
      part = g_string_new (term->negated ? "(not (match-all " : "(match-all ");
      append_term (part, &positive);
      g_string_append (part, term->negated ? "))" : ")");
      g_ptr_array_add (parts, g_string_free (g_steal_pointer (&part), FALSE));
    }

  /* Not "(match-all)": IMAPX answers that with no messages at all. */
  if (parts->len == 0)
    return g_strdup ("(match-all #t)");
  if (parts->len == 1)
    return g_strdup (g_ptr_array_index (parts, 0));

  g_string_append (sexp, "(and");
  for (guint i = 0; i < parts->len; i++)
    {
      g_string_append_c (sexp, ' ');
      g_string_append (sexp, g_ptr_array_index (parts, i));
    }
  g_string_append_c (sexp, ')');
  return g_string_free (g_steal_pointer (&sexp), FALSE);
}

/* A value LIKE finds exactly where Camel's header-contains would: ASCII letters, digits
 * and a few address characters (LIKE folds ASCII case only, and a value without spaces
 * or angle brackets cannot match across an address's name and email). */
static gboolean
sql_value_ok (const char *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@.-+", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
append_like (GString *sql, const char *column, const char *value)
{
  char *pattern = g_strdup_printf ("%%%s%%", value);
  char *quoted = camel_db_sqlize_string (pattern);

  g_string_append_printf (sql, "IFNULL(%s, '') LIKE %s", column, quoted);
  camel_db_free_sqlized_string (quoted);
  g_free (pattern);
}

static gboolean
append_sql_term (GString *sql, const Term *term)
{
  static const char *const text_columns[] = { "subject", "mail_from", "mail_to", "mail_cc" };
  gboolean negated = term_negated (term);
  if (term->kind <= TERM_SUBJECT && !sql_value_ok (term->value))
    return FALSE;

  g_string_append (sql, negated ? "NOT (" : "(");
  switch (term->kind)
    {
      case TERM_TEXT:
        for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
          {
            if (i > 0)
              g_string_append (sql, " OR ");
            append_like (sql, text_columns[i], term->value);
          }
        break;
      case TERM_FROM:
        append_like (sql, "mail_from", term->value);
        break;
      case TERM_TO:
        append_like (sql, "mail_to", term->value);
        break;
      case TERM_CC:
        append_like (sql, "mail_cc", term->value);
        break;
      case TERM_SUBJECT:
        append_like (sql, "subject", term->value);
        break;
      case TERM_ATTACHMENT:
        g_string_append (sql, "attachment = 1");
        break;
      case TERM_UNREAD:
      case TERM_READ:
        g_string_append (sql, "read = 1");
        break;
      case TERM_FLAGGED:
        g_string_append (sql, "important = 1");
        break;
      case TERM_BEFORE:
      case TERM_AFTER:
        g_string_append_printf (sql, "dsent < %" G_GINT64_FORMAT, term->time);
        break;
      case TERM_BODY:
      default:
        return FALSE;
    }
  g_string_append_c (sql, ')');
  return TRUE;
}

/**
 * kontor_mail_query_to_sql:
 * @query: a query
 *
 * Writes @query as a condition over the columns of a folder summary's table, when it
 * can be answered there exactly as kontor_mail_query_to_sexp()'s expression would be by
 * Camel: flags, dates, and header values of ASCII letters, digits and `@.-+`. Camel 3.46
 * searches headers in memory, message by message; SQLite answers this in a fraction of
 * that time on a big folder.
 *
 * Returns: (transfer full) (nullable): an SQL condition, or %NULL when Camel must search
 */
char *
kontor_mail_query_to_sql (const KontorMailQuery *query)
{
  g_autoptr (GString) sql = g_string_new (NULL);

  g_return_val_if_fail (query != NULL, NULL);

  for (guint i = 0; i < query->terms->len; i++)
    {
      if (i > 0)
        g_string_append (sql, " AND ");
      if (!append_sql_term (sql, g_ptr_array_index (query->terms, i)))
        return NULL;
    }
  if (sql->len == 0)
    g_string_append (sql, "1");
  return g_string_free (g_steal_pointer (&sql), FALSE);
}
