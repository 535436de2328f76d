/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-query.c: the mail search language, as expressions and as results from real
 * Camel maildir folders (with and without a body index) in a temporary directory. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <camel/camel.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kontor-mail-query.h"
#include "kontor-mail-summary.h"

/* Central European time with its DST rules, so day boundaries are known numbers. */
#define TEST_TZ "CET-1CEST,M3.5.0,M10.5.0/3"

/* A CamelSession needs no behaviour of its own for local stores. */
#define TEST_TYPE_SESSION (test_session_get_type ())
G_DECLARE_FINAL_TYPE (TestSession, test_session, TEST, SESSION, CamelSession)

struct _TestSession
{
  CamelSession parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSession, test_session, CAMEL_TYPE_SESSION)

static void
test_session_class_init (TestSessionClass *klass)
{
}

static void
test_session_init (TestSession *self)
{
}

/* ---- Expressions ---- */

typedef struct
{
  const char *query;
  const char *sexp;
} SexpCase;

#define HELLO_TEXT                                                                    \
  "(or (header-contains \"subject\" \"hello\") (header-contains \"from\" \"hello\") " \
  "(header-contains \"to\" \"hello\") (header-contains \"cc\" \"hello\"))"

static const SexpCase sexp_cases[] = {
  { "", "(match-all #t)" },
  { " \t\n ", "(match-all #t)" },
  { "-", "(match-all #t)" },
  { "\"\"", "(match-all #t)" },
  { "from:ada", "(match-all (header-contains \"from\" \"ada\"))" },
  { "FROM:Ada", "(match-all (header-contains \"from\" \"Ada\"))" },
  { "Subject:hello", "(match-all (header-contains \"subject\" \"hello\"))" },
  { "to:bob cc:carol",
    "(match-all (and (header-contains \"to\" \"bob\") (header-contains \"cc\" \"carol\")))" },
  { "from:\"Ada Lovelace\"", "(match-all (header-contains \"from\" \"\\\"Ada Lovelace\\\"\"))" },
  { "from:Müller", "(match-all (header-contains \"from\" \"Müller\"))" },
  { "from:a:b", "(match-all (header-contains \"from\" \"a:b\"))" },
  { "from:\"a\"b", "(match-all (header-contains \"from\" \"ab\"))" },
  { "-from:bob", "(match-all (not (header-contains \"from\" \"bob\")))" },
  { "hello", "(match-all " HELLO_TEXT ")" },
  { "  hello  ", "(match-all " HELLO_TEXT ")" },
  { "- hello", "(match-all " HELLO_TEXT ")" },
  { "-hello", "(match-all (not " HELLO_TEXT "))" },
  { "hello hello", "(match-all (and " HELLO_TEXT " " HELLO_TEXT "))" },
  { "hello\u00a0hello", "(match-all (and " HELLO_TEXT " " HELLO_TEXT "))" },
  { "\"exact phrase\"", "(match-all (or (header-contains \"subject\" \"\\\"exact phrase\\\"\") "
                        "(header-contains \"from\" \"\\\"exact phrase\\\"\") "
                        "(header-contains \"to\" \"\\\"exact phrase\\\"\") "
                        "(header-contains \"cc\" \"\\\"exact phrase\\\"\")))" },
  /* An unknown key, or a quoted known one, is free text. */
  { "foo:bar", "(match-all (or (header-contains \"subject\" \"foo:bar\") "
               "(header-contains \"from\" \"foo:bar\") (header-contains \"to\" \"foo:bar\") "
               "(header-contains \"cc\" \"foo:bar\")))" },
  { "-re:x:", "(match-all (not (or (header-contains \"subject\" \"re:x:\") "
              "(header-contains \"from\" \"re:x:\") (header-contains \"to\" \"re:x:\") "
              "(header-contains \"cc\" \"re:x:\"))))" },
  { "\"from:bob\"", "(match-all (or (header-contains \"subject\" \"from:bob\") "
                    "(header-contains \"from\" \"from:bob\") (header-contains \"to\" \"from:bob\") "
                    "(header-contains \"cc\" \"from:bob\")))" },
  /* Escapes: once for Camel's word splitting, once for the expression's string. */
  { "subject:\"say \\\"hi\\\"\"",
    "(match-all (header-contains \"subject\" \"\\\"say \\\\\\\"hi\\\\\\\"\\\"\"))" },
  { "subject:C:\\Temp", "(match-all (header-contains \"subject\" \"\\\"C:\\\\\\\\Temp\\\"\"))" },
  { "subject:\"a\\\\b\"", "(match-all (header-contains \"subject\" \"\\\"a\\\\\\\\b\\\"\"))" },
  { "subject:it's", "(match-all (header-contains \"subject\" \"it\\'s\"))" },
  { "subject:\"\\n\"", "(match-all (header-contains \"subject\" \"\\\"\\\\\\\\n\\\"\"))" },
  /* Flags. */
  { "has:attachment", "(match-all (system-flag \"Attachments\"))" },
  { "HAS:Attachment", "(match-all (system-flag \"Attachments\"))" },
  { "-has:attachment", "(match-all (not (system-flag \"Attachments\")))" },
  { "is:unread", "(match-all (not (system-flag \"Seen\")))" },
  { "is:read", "(match-all (system-flag \"Seen\"))" },
  { "-is:unread", "(match-all (system-flag \"Seen\"))" },
  { "-is:read", "(match-all (not (system-flag \"Seen\")))" },
  { "Is:Flagged", "(match-all (system-flag \"Flagged\"))" },
  { "-is:flagged", "(match-all (not (system-flag \"Flagged\")))" },
  /* Dates: local midnights in TEST_TZ. */
  { "before:2024-03-10", "(match-all (< (get-sent-date) 1710025200))" },
  { "after:2024-03-10", "(match-all (not (< (get-sent-date) 1710111600)))" },
  { "-before:2024-03-10", "(match-all (not (< (get-sent-date) 1710025200)))" },
  { "-after:2024-03-10", "(match-all (< (get-sent-date) 1710111600))" },
  { "before:2024-3-1", "(match-all (< (get-sent-date) 1709247600))" },
  { "after:2024-03-30", "(match-all (not (< (get-sent-date) 1711839600)))" }, /* DST */
  { "after:2024-03-31", "(match-all (not (< (get-sent-date) 1711922400)))" },
  { "before:1970-01-01", "(match-all (< (get-sent-date) 0))" },
  { "after:1970-01-01", "(match-all (not (< (get-sent-date) 82800)))" },
  { "after:2100-01-01", "(match-all (not (< (get-sent-date) 2147483647)))" },
  { "after:9999-12-31", "(match-all (not (< (get-sent-date) 2147483647)))" },
  /* Body terms get their own match-all, after the rest. */
  { "body:invoice", "(match-all (body-contains \"invoice\"))" },
  { "-body:invoice", "(not (match-all (body-contains \"invoice\")))" },
  { "body:invoice from:ada is:unread",
    "(and (match-all (and (not (system-flag \"Seen\")) (header-contains \"from\" \"ada\"))) "
    "(match-all (body-contains \"invoice\")))" },
  { "subject:x body:a -body:\"b c\"",
    "(and (match-all (header-contains \"subject\" \"x\")) (match-all (body-contains \"a\")) "
    "(not (match-all (body-contains \"\\\"b c\\\"\"))))" },
  /* Cheap terms first, in their own order. */
  { "hello is:flagged before:2024-03-10 from:x has:attachment",
    "(match-all (and (system-flag \"Flagged\") (< (get-sent-date) 1710025200) "
    "(system-flag \"Attachments\") " HELLO_TEXT " (header-contains \"from\" \"x\")))" },
};

static CamelSExpResult *
any_function (CamelSExp *sexp, int argc, CamelSExpResult **argv, gpointer user_data)
{
  return camel_sexp_result_new (sexp, CAMEL_SEXP_RES_UNDEFINED);
}

static void
test_sexp (gconstpointer data)
{
  static const char *const functions[] = { "match-all", "header-contains", "body-contains",
                                           "system-flag", "get-sent-date" };
  const SexpCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailQuery) query = NULL;
  g_autoptr (CamelSExp) sexp = camel_sexp_new ();
  g_autofree char *text = NULL;

  query = kontor_mail_query_parse (c->query, &error);
  g_assert_no_error (error);
  if (query == NULL)
    return;

  text = kontor_mail_query_to_sexp (query);
  g_assert_cmpstr (text, ==, c->sexp);

  /* Whatever we write, Camel must be able to read, using no other functions. */
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    camel_sexp_add_function (sexp, 0, functions[i], any_function, NULL);
  camel_sexp_input_text (sexp, text, strlen (text));
  g_assert_cmpint (camel_sexp_parse (sexp), ==, 0);
}

typedef struct
{
  const char *query;
  const char *message_part; /* the message names the bad term */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "from:", "“from:”" },
  { "hello -to:", "“-to:”" },
  { "subject:\"\"", "“subject:\"\"”" },
  { "BODY:", "“BODY:”" },
  { "from:\"Ada", "“from:\"Ada”" },
  { "ok \"unterminated phrase", "“\"unterminated phrase”" },
  { "subject:\"a\\\"", "“subject:\"a\\\"”" },
  { "before:", "“before:”" },
  { "before:2024-13-01", "“before:2024-13-01”" },
  { "after:2024-02-30", "“after:2024-02-30”" },
  { "after:2023-02-29", "“after:2023-02-29”" },
  { "before:24-03-10", "“before:24-03-10”" },
  { "before:2024-03-10x", "“before:2024-03-10x”" },
  { "before:2024/03/10", "“before:2024/03/10”" },
  { "before:0000-01-01", "“before:0000-01-01”" },
  { "before:tomorrow", "“before:tomorrow”" },
  { "is:spam", "“is:spam”" },
  { "-is:", "“-is:”" },
  { "has:pdf", "“has:pdf”" },
  { "\xff", "UTF-8" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailQuery) query = NULL;

  query = kontor_mail_query_parse (c->query, &error);
  g_assert_null (query);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (error != NULL && strstr (error->message, c->message_part) == NULL)
    {
      g_test_message ("“%s” gave “%s”, which does not contain “%s”", c->query, error->message,
                      c->message_part);
      g_test_fail ();
    }
}

static void
test_flags (void)
{
  g_autoptr (KontorMailQuery) empty = kontor_mail_query_parse ("  ", NULL);
  g_autoptr (KontorMailQuery) text = kontor_mail_query_parse ("from:ada hello", NULL);
  g_autoptr (KontorMailQuery) body = kontor_mail_query_parse ("is:unread -body:x", NULL);

  g_assert_true (kontor_mail_query_is_empty (empty));
  g_assert_false (kontor_mail_query_needs_body (empty));
  g_assert_false (kontor_mail_query_is_empty (text));
  g_assert_false (kontor_mail_query_needs_body (text));
  g_assert_false (kontor_mail_query_is_empty (body));
  g_assert_true (kontor_mail_query_needs_body (body));
}

static char *
local_midnight_sexp (const char *format, int days_from_today)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GDateTime) day = NULL;

  midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  day = g_date_time_add_days (midnight, days_from_today);
  /* add_days keeps the wall-clock time, so this is still a local midnight. */
  return g_strdup_printf (format, g_date_time_to_unix (day));
}

/* Which queries go to SQL: what LIKE answers as Camel would, and nothing else. */
static void
test_sql (void)
{
  static const struct
  {
    const char *query;
    const char *sql; /* NULL: Camel must search */
  } cases[] = {
    { "from:anna", "(IFNULL(mail_from, '') LIKE '%anna%')" },
    { "subject:budget is:unread", "(IFNULL(subject, '') LIKE '%budget%') AND NOT (read = 1)" },
    { "-is:flagged has:attachment", "NOT (important = 1) AND (attachment = 1)" },
    { "to:bob@example.org", "(IFNULL(mail_to, '') LIKE '%bob@example.org%')" },
    { "", "1" },
    { "from:\"Ada Lovelace\"", NULL },
    { "subject:Grüße", NULL },
    { "subject:100%", NULL },
    { "from:a_b", NULL },
    { "body:budget", NULL },
    { "from:anna body:budget", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KontorMailQuery) query = kontor_mail_query_parse (cases[i].query, &error);
      g_autofree char *sql = NULL;

      g_assert_no_error (error);
      sql = kontor_mail_query_to_sql (query);
      g_assert_cmpstr (sql, ==, cases[i].sql);
    }
}

static void
test_relative_dates (void)
{
  static const struct
  {
    const char *query;
    const char *format;
    int days;
  } cases[] = {
    { "before:today", "(match-all (< (get-sent-date) %" G_GINT64_FORMAT "))", 0 },
    { "after:today", "(match-all (not (< (get-sent-date) %" G_GINT64_FORMAT ")))", 1 },
    { "before:Yesterday", "(match-all (< (get-sent-date) %" G_GINT64_FORMAT "))", -1 },
    { "after:YESTERDAY", "(match-all (not (< (get-sent-date) %" G_GINT64_FORMAT ")))", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KontorMailQuery) query = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *text = NULL;

      /* Around midnight "today" moves: accept what it was before or after parsing. */
      before = local_midnight_sexp (cases[i].format, cases[i].days);
      query = kontor_mail_query_parse (cases[i].query, &error);
      g_assert_no_error (error);
      if (query == NULL)
        continue;
      after = local_midnight_sexp (cases[i].format, cases[i].days);

      text = kontor_mail_query_to_sexp (query);
      if (g_strcmp0 (text, after) != 0)
        g_assert_cmpstr (text, ==, before);
    }
}

/* ---- Results from real folders ---- */

typedef struct
{
  const char *id;
  const char *from;
  const char *to;
  const char *cc;
  const char *subject;
  const char *date; /* local time, "YYYY-MM-DD HH:MM" */
  guint32 flags;
  const char *body;
  const char *attachment_type; /* NULL: a single text/plain part */
} MessageSpec;

static const MessageSpec messages[] = {
  { "m1", "Ada Lovelace <ada@example.org>", "Charles Babbage <charles@example.org>", NULL,
    "Analytical engine notes", "2024-03-01 10:00", CAMEL_MESSAGE_SEEN,
    "The engine can compute Bernoulli numbers.", NULL },
  { "m2", "Charles Babbage <charles@example.org>", "Ada Lovelace <ada@example.org>",
    "Mary Somerville <mary@example.org>", "Re: Analytical engine notes", "2024-03-02 09:00",
    CAMEL_MESSAGE_FLAGGED, "Difference engine budget attached.", "application/pdf" },
  { "m3", "Jürgen Müller <juergen@example.de>", "team@example.org", NULL, "Grüße aus München",
    "2024-03-09 23:30", 0, "Bis bald", NULL },
  { "m4", "Νίκος Παπαδόπουλος <nikos@example.gr>", "Ada Lovelace <ada@example.org>", NULL,
    "Ελληνικά μαθήματα", "2024-03-10 00:30", CAMEL_MESSAGE_SEEN, "Καλημέρα σας", NULL },
  { "m5", "bob@example.com", "alice@example.com", "Ada Lovelace <ada@example.org>",
    "Lunch on Friday?", "2024-03-10 12:00", CAMEL_MESSAGE_SEEN,
    "The quick brown fox jumps over the lazy dog", NULL },
  { "m6", "Alice <alice@example.com>", "bob@example.com", NULL, "quick fox", "2024-03-11 08:00",
    CAMEL_MESSAGE_FLAGGED, "brown", NULL },
  { "m7", "Bob Builder <bob@example.com>", "alice@example.com", NULL, "The quick brown fox",
    "2024-03-20 10:00", CAMEL_MESSAGE_SEEN, "nothing to see", "image/png" },
  { "m8", "Newsletter <news@example.net>", "Ada Lovelace <ada@example.org>", NULL,
    "Weekly \"quoted\" digest: 100% off", "2024-02-15 10:00", CAMEL_MESSAGE_SEEN, "unsubscribe",
    NULL },
  { "m9", "Carol <carol@example.com>", "bob@example.com", NULL, "Budget", "2024-04-01 10:00", 0,
    "Quarterly budget: see the Bernoulli sheet", "application/vnd.ms-excel" },
  { "m10", "Dave <dave@example.com>", "Ada Lovelace <ada@example.org>", NULL, "Path C:\\Temp\\x",
    "2024-03-15 10:00", CAMEL_MESSAGE_SEEN, "backslashes", NULL },
};

#define ALL "m1 m2 m3 m4 m5 m6 m7 m8 m9 m10"

typedef struct
{
  const char *query;
  const char *ids; /* in the order of messages[] */
} SearchCase;

static const SearchCase search_cases[] = {
  { "", ALL },
  { "from:ada", "m1" },
  { "FROM:ADA", "m1" },
  { "to:ada", "m2 m4 m8 m10" },
  { "cc:ada", "m5" },
  { "cc:mary", "m2" },
  { "to:team", "m3" },
  { "ada", "m1 m2 m4 m5 m8 m10" },
  { "-ada", "m3 m6 m7 m9" },
  { "from:\"Ada Lovelace\"", "m1" },
  { "from:\"lovelace ada\"", "" },
  { "from:nobody", "" },
  { "from:bob", "m5 m7" },
  { "-from:bob", "m1 m2 m3 m4 m6 m8 m9 m10" },
  { "from:bob@example.com", "m5 m7" },
  /* Phrases match as a whole; separate words each anywhere. */
  { "subject:\"quick fox\"", "m6" },
  { "\"quick fox\"", "m6" },
  { "quick fox", "m6 m7" },
  { "subject:quick subject:fox", "m6 m7" },
  { "fox quick", "m6 m7" },
  /* Free text never looks at the body. */
  { "lunch", "m5" },
  { "lazy", "" },
  { "lunch -bob", "" },
  { "lunch -from:alice", "m5" },
  { "re:", "m2" },
  /* Non-ASCII, case-insensitive. */
  { "from:müller", "m3" },
  { "MÜLLER", "m3" },
  { "grüße", "m3" },
  { "subject:ελληνικά", "m4" },
  { "from:νίκος", "m4" },
  { "from:Παπαδόπουλος", "m4" },
  /* Characters that are special somewhere along the way. */
  { "subject:\"\\\"quoted\\\"\"", "m8" },
  { "subject:100%", "m8" },
  { "subject:%", "m8" },
  { "subject:_", "" },
  { "subject:C:\\Temp", "m10" },
  { "subject:\"C:\\Temp\\x\"", "m10" },
  { "subject:\"p\\\\temp\"", "" },
  /* Flags. */
  { "has:attachment", "m2 m7 m9" },
  { "-has:attachment", "m1 m3 m4 m5 m6 m8 m10" },
  { "is:unread", "m2 m3 m6 m9" },
  { "is:read", "m1 m4 m5 m7 m8 m10" },
  { "-is:unread", "m1 m4 m5 m7 m8 m10" },
  { "is:flagged", "m2 m6" },
  { "is:flagged is:unread", "m2 m6" },
  { "-is:flagged is:unread", "m3 m9" },
  { "is:flagged -from:alice", "m2" },
  { "from:bob has:attachment", "m7" },
  /* Dates: m3 is late on the 9th, m4 early on the 10th. */
  { "before:2024-03-10", "m1 m2 m3 m8" },
  { "-before:2024-03-10", "m4 m5 m6 m7 m9 m10" },
  { "after:2024-03-09", "m4 m5 m6 m7 m9 m10" },
  { "after:2024-03-09 before:2024-03-11", "m4 m5" },
  { "after:2024-03-01 is:read", "m4 m5 m7 m10" },
  { "after:2024-03-31", "m9" },
  { "is:unread has:attachment before:2024-04-01", "m2" },
  { "before:today", ALL },
  { "after:yesterday", "" },
  /* Body. */
  { "body:bernoulli", "m1 m9" },
  { "-body:bernoulli", "m2 m3 m4 m5 m6 m7 m8 m10" },
  { "body:\"quick brown\"", "m5" },
  { "body:\"brown quick\"", "" },
  { "body:quick body:lazy", "m5" },
  { "body:καλημέρα", "m4" },
  { "body:engine subject:notes", "m1 m2" },
  { "body:engine -is:flagged", "m1" },
  { "body:budget has:attachment -body:bernoulli", "m2" },
};

typedef struct
{
  const char *name;
  CamelFolder *folder;
  GHashTable *ids; /* uid -> id */
} TestFolder;

typedef struct
{
  const TestFolder *folder;
  const SearchCase *search;
} SearchTest;

static char *test_dir;
static CamelSession *session;
static CamelStore *store;
static TestFolder folders[2] = { { "plain" }, { "indexed" } };

static gint64
parse_local_time (const char *text, int *out_offset)
{
  int year, month, day, hour, minute;
  g_autoptr (GDateTime) dt = NULL;
  GTimeSpan offset;

  g_assert_cmpint (sscanf (text, "%d-%d-%d %d:%d", &year, &month, &day, &hour, &minute), ==, 5);
  dt = g_date_time_new_local (year, month, day, hour, minute, 0);
  offset = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE;
  *out_offset = (int) (offset / 60 * 100 + offset % 60);
  return g_date_time_to_unix (dt);
}

static void
set_address (CamelMimeMessage *message, const char *type, const char *text)
{
  g_autoptr (CamelInternetAddress) address = camel_internet_address_new ();

  g_assert_cmpint (camel_address_unformat (CAMEL_ADDRESS (address), text), >, 0);
  if (type == NULL)
    camel_mime_message_set_from (message, address);
  else
    camel_mime_message_set_recipients (message, type, address);
}

static CamelMimePart *
text_part (const char *text)
{
  CamelMimePart *part = camel_mime_part_new ();

  camel_mime_part_set_content (part, text, strlen (text), "text/plain; charset=utf-8");
  camel_mime_part_set_encoding (part, CAMEL_TRANSFER_ENCODING_QUOTEDPRINTABLE);
  return part;
}

static CamelMimeMessage *
build_message (const MessageSpec *spec)
{
  g_autoptr (CamelMimeMessage) message = camel_mime_message_new ();
  g_autoptr (CamelMimePart) body = text_part (spec->body);
  gint64 date;
  int offset;

  set_address (message, NULL, spec->from);
  set_address (message, CAMEL_RECIPIENT_TYPE_TO, spec->to);
  if (spec->cc != NULL)
    set_address (message, CAMEL_RECIPIENT_TYPE_CC, spec->cc);
  camel_mime_message_set_subject (message, spec->subject);
  date = parse_local_time (spec->date, &offset);
  camel_mime_message_set_date (message, (time_t) date, offset);
  camel_mime_message_set_message_id (message, NULL);

  if (spec->attachment_type == NULL)
    {
      CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (body));

      camel_medium_set_content (CAMEL_MEDIUM (message), content);
      camel_mime_part_set_encoding (CAMEL_MIME_PART (message),
                                    CAMEL_TRANSFER_ENCODING_QUOTEDPRINTABLE);
    }
  else
    {
      g_autoptr (CamelMultipart) multipart = camel_multipart_new ();
      g_autoptr (CamelMimePart) attachment = camel_mime_part_new ();
      static const char data[] = "\x01\x02\x03 not really a document \xfe\xff";

      camel_data_wrapper_set_mime_type (CAMEL_DATA_WRAPPER (multipart), "multipart/mixed");
      camel_multipart_set_boundary (multipart, NULL);
      camel_multipart_add_part (multipart, body);

      camel_mime_part_set_content (attachment, data, sizeof data - 1, spec->attachment_type);
      camel_mime_part_set_filename (attachment, "attachment.bin");
      camel_mime_part_set_disposition (attachment, "attachment");
      camel_mime_part_set_encoding (attachment, CAMEL_TRANSFER_ENCODING_BASE64);
      camel_multipart_add_part (multipart, attachment);

      camel_medium_set_content (CAMEL_MEDIUM (message), CAMEL_DATA_WRAPPER (multipart));
    }

  return g_steal_pointer (&message);
}

static void
fill_folder (TestFolder *folder, gboolean index_body)
{
  g_autoptr (GError) error = NULL;

  folder->folder = camel_store_get_folder_sync (
    store, folder->name, CAMEL_STORE_FOLDER_CREATE | CAMEL_STORE_FOLDER_BODY_INDEX, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (folder->folder);
  /* Local folders search bodies through their index only while this is set. */
  g_assert_nonnull (
    g_object_class_find_property (G_OBJECT_GET_CLASS (folder->folder), "index-body"));
  g_object_set (folder->folder, "index-body", index_body, NULL);
  folder->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr (CamelMimeMessage) message = build_message (&messages[i]);
      g_autoptr (CamelMessageInfo) info = camel_message_info_new (NULL);
      char *uid = NULL;

      camel_message_info_set_flags (info, ~0, messages[i].flags);
      camel_folder_append_message_sync (folder->folder, message, info, &uid, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (uid);
      g_hash_table_insert (folder->ids, uid, (gpointer) messages[i].id);
    }

  camel_folder_synchronize_sync (folder->folder, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  const char *id_a = *(const char *const *) a;
  const char *id_b = *(const char *const *) b;

  /* "m2" before "m10" */
  return (int) g_ascii_strtoll (id_a + 1, NULL, 10) - (int) g_ascii_strtoll (id_b + 1, NULL, 10);
}

/* Where the query has an SQL form, the summary database must give the same messages. */
static void
check_sql (const SearchTest *test, const KontorMailQuery *query, const char *expected)
{
  g_autofree char *sql = kontor_mail_query_to_sql (query);
  g_autoptr (GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) dates = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *got = NULL;

  if (sql == NULL)
    return;
  kontor_mail_summary_select (store, test->folder->name, sql, uids, dates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dates->len, ==, uids->len);
  for (guint i = 0; i < uids->len; i++)
    {
      const char *id = g_hash_table_lookup (test->folder->ids, g_ptr_array_index (uids, i));

      g_assert_nonnull (id);
      g_ptr_array_add (ids, (gpointer) (id != NULL ? id : "?"));
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  joined = g_strjoinv (" ", (char **) ids->pdata);
  got = g_strdup_printf ("%s -> [%s]", test->search->query, joined);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_search (gconstpointer data)
{
  const SearchTest *test = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailQuery) query = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *sexp = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;
  GPtrArray *uids;

  query = kontor_mail_query_parse (test->search->query, &error);
  g_assert_no_error (error);
  if (query == NULL)
    return;
  sexp = kontor_mail_query_to_sexp (query);

  uids = camel_folder_search_by_expression (test->folder->folder, sexp, NULL, &error);
  g_assert_no_error (error);
  if (uids == NULL)
    return;

  for (guint i = 0; i < uids->len; i++)
    {
      const char *id = g_hash_table_lookup (test->folder->ids, g_ptr_array_index (uids, i));

      g_assert_nonnull (id);
      g_ptr_array_add (ids, (gpointer) (id != NULL ? id : "?"));
    }
  camel_folder_search_free (test->folder->folder, uids);

  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  joined = g_strjoinv (" ", (char **) ids->pdata);

  /* Compare with the query in the text, so a failure says which query it was. */
  got = g_strdup_printf ("%s -> [%s]", test->search->query, joined);
  expected = g_strdup_printf ("%s -> [%s]", test->search->query, test->search->ids);
  g_assert_cmpstr (got, ==, expected);

  check_sql (test, query, expected);
}

static void
setup_camel (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (test_dir, "camel-data", NULL);
  g_autofree char *cache_dir = g_build_filename (test_dir, "camel-cache", NULL);
  g_autofree char *maildir = g_build_filename (test_dir, "maildir", NULL);
  g_autoptr (CamelSettings) settings = NULL;
  CamelService *service;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (cache_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (maildir, 0700), ==, 0);

  g_assert_cmpint (camel_init (data_dir, FALSE), ==, 0);
  camel_provider_init ();

  session =
    g_object_new (TEST_TYPE_SESSION, "user-data-dir", data_dir, "user-cache-dir", cache_dir, NULL);
  service =
    camel_session_add_service (session, "test-maildir", "maildir", CAMEL_PROVIDER_STORE, &error);
  g_assert_no_error (error);
  g_assert_true (CAMEL_IS_STORE (service));
  store = CAMEL_STORE (service);

  settings = camel_service_ref_settings (service);
  camel_local_settings_set_path (CAMEL_LOCAL_SETTINGS (settings), maildir);
  camel_service_connect_sync (service, NULL, &error);
  g_assert_no_error (error);

  fill_folder (&folders[0], FALSE);
  fill_folder (&folders[1], TRUE);
}

static void
teardown_camel (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_clear_object (&folders[i].folder);
      g_clear_pointer (&folders[i].ids, g_hash_table_unref);
    }
  camel_service_disconnect_sync (CAMEL_SERVICE (store), TRUE, NULL, NULL);
  g_clear_object (&store);
  g_clear_object (&session);
  camel_shutdown ();
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_remove (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* Camel writes under the user's directories: point them all into the test's own. */
static void
isolate_home (void)
{
  static const char *const vars[] = { "HOME",           "XDG_DATA_HOME",
                                      "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                      "XDG_STATE_HOME", "XDG_RUNTIME_DIR" };
  g_autoptr (GError) error = NULL;

  test_dir = g_dir_make_tmp ("kontor-mail-query-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (test_dir, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) search_tests = g_ptr_array_new_with_free_func (g_free);
  int ret;

  /* Before anything reads them: GLib caches both the time zone and the home folder. */
  g_setenv ("TZ", TEST_TZ, TRUE);
  isolate_home ();
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sexp_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kontor/mail-query/sexp/%u", i);

      g_test_add_data_func (path, &sexp_cases[i], test_sexp);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kontor/mail-query/error/%u", i);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }
  g_test_add_func ("/kontor/mail-query/flags", test_flags);
  g_test_add_func ("/kontor/mail-query/sql", test_sql);
  g_test_add_func ("/kontor/mail-query/relative-dates", test_relative_dates);

  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (search_cases); i++)
        {
          g_autofree char *path = NULL;
          SearchTest *test = g_new0 (SearchTest, 1);

          test->folder = &folders[f];
          test->search = &search_cases[i];
          g_ptr_array_add (search_tests, test);
          path = g_strdup_printf ("/kontor/mail-query/search/%s/%u", folders[f].name, i);
          g_test_add_data_func (path, test, test_search);
        }
    }

  setup_camel ();
  /* Every case is independent: report them all, and still remove the folders. */
  g_test_set_nonfatal_assertions ();
  ret = g_test_run ();
  teardown_camel ();

  remove_tree (test_dir);
  g_free (test_dir);
  return ret;
}
