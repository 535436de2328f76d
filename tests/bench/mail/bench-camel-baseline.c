/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-camel-baseline.c: bare Camel (IMAPX) against the harness's Dovecot, the baselines
 * of the Mail benchmark.
 *
 * Only GLib and libcamel, the way any Camel client uses them, so that the Mail engine's
 * figures can be given as ratios against what Camel does by itself on the same machine,
 * servers and data, in the same run:
 *
 * - sync: the initial header sync of a folder into an empty cache. A new session and
 *   store, online; connect (STARTTLS by default, LOGIN), list the folders (a new cache
 *   knows none but INBOX), get the folder, camel_folder_refresh_info_sync(), then
 *   camel_folder_synchronize_sync() so that the summaries are on disk. Each run starts
 *   from a new empty cache folder; a first run, not counted, warms the server up.
 * - reopen: a warm reopen of a cached folder, session and store offline: the store
 *   (which opens Camel's database), the folder and its count; then every summary loaded
 *   (camel_folder_summary_prepare_fetch_all()) and the messages sorted newest first
 *   with the subject and sender of the first 50 read: what a message list on Camel needs
 *   before it can show its first rows.
 * - search: camel_folder_search_by_expression() with a Camel sexp over the cached
 *   folder, store offline, so everything is answered from the cache. The first search
 *   of a process also loads the summaries; first_ms shows it apart.
 *
 * cpu_ms is the process's user and system CPU time over the timed steps: Camel's own
 * work, which varies less than the wall time on a busy machine.
 *
 * Every sync and reopen run is a process of its own (this program again, with --child),
 * so that each starts without what the runs before it left in memory, and its peak RSS
 * (VmHWM) is its own; the searches of one expression share a process. reopen and search
 * use one cache per folder in the work folder: the last sync run's when there was one,
 * else the folder is synced once first and that sync is reported with runs: 1.
 *
 * The server comes from the harness's variables (tests/servers/README.md):
 * KONTOR_TEST_HOST, KONTOR_TEST_IMAP_PORT (STARTTLS) or KONTOR_TEST_IMAPS_PORT,
 * KONTOR_TEST_USER, KONTOR_TEST_PASSWORD, and KONTOR_TEST_CA_CERT, the only certificate
 * trusted besides the system's CAs. Run it under tests/servers/with-servers.sh.
 *
 * Output: lines starting with "#" say what happens, one per run; results are
 * "key: value" lines, times in ms, memory in MB:
 *
 *   camel.sync.FOLDER.{runs,messages,median_ms,min_ms,max_ms}, and the medians
 *     .connect_ms .list_ms .refresh_ms .save_ms .cpu_ms, and .peak_rss_mb (the highest run)
 *   camel.reopen.FOLDER.{runs,messages,median_ms,min_ms,max_ms} (open to sorted), and
 *     the medians .open_ms .load_ms .sort_ms .cpu_ms, and .rss_mb .peak_rss_mb (the
 *     highest run)
 *   camel.search.FOLDER.N.{expr,runs,matches,median_ms,min_ms,max_ms,first_ms} for the
 *     Nth expression
 *
 * Usage: bench-camel-baseline [--runs N] [--folder NAME] [--sync] [--reopen]
 *          [--search EXPR]... [--cache-dir DIR] [--security starttls|ssl|none] [--suite]
 *
 * Without --sync, --reopen, --search or --suite it syncs. --suite is what the benchmark
 * runs: sync and reopen of INBOX, reopen of Big and searches by sender and by subject in
 * it (--folder and --big-folder name them, --search replaces the searches). The work
 * folder is a new temporary one, removed at the end, unless --cache-dir names one to
 * keep (and reuse: a folder cached there is not synced again). HOME and the XDG folders
 * are pointed into it, so nothing is written to the user's own. The exit status is 1
 * when a run fails, 2 on wrong usage or variables. */
#define G_LOG_DOMAIN "kontor-bench"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <camel/camel.h>
#include <glib/gstdio.h>

#define FIRST_ROWS 50

/* The searches of --suite, in names and subjects of the harness's generated mail. */
static const char *const suite_searches[] = {
  "(match-all (header-contains \"from\" \"anna\"))",
  "(match-all (header-contains \"subject\" \"budget\"))",
  NULL,
};

typedef struct
{
  char *host;
  guint16 port;
  CamelNetworkSecurityMethod security;
  char *security_name;
  char *user;
  char *password;
  GTlsCertificate *ca;
  char *work_dir;
  int n_runs;
} Bench;

static Bench bench;

/* The session: one password, tried once; certificates only from the harness's CA. */

#define BENCH_TYPE_SESSION (bench_session_get_type ())
G_DECLARE_FINAL_TYPE (BenchSession, bench_session, BENCH, SESSION, CamelSession)

struct _BenchSession
{
  CamelSession parent_instance;
};

G_DEFINE_FINAL_TYPE (BenchSession, bench_session, CAMEL_TYPE_SESSION)

static CamelCertTrust
bench_session_trust_prompt (CamelSession *session,
                            CamelService *service,
                            GTlsCertificate *certificate,
                            GTlsCertificateFlags errors)
{
  g_autoptr (GSocketConnectable) identity = g_network_address_new (bench.host, bench.port);

  /* Asked only when the system's CAs did not vouch for the certificate. */
  if (bench.ca != NULL && g_tls_certificate_verify (certificate, identity, bench.ca) == 0)
    return CAMEL_CERT_TRUST_TEMPORARY;
  return CAMEL_CERT_TRUST_UNKNOWN;
}

static gboolean
bench_session_authenticate_sync (CamelSession *session,
                                 CamelService *service,
                                 const char *mechanism,
                                 GCancellable *cancellable,
                                 GError **error)
{
  g_autoptr (GError) local_error = NULL;

  /* CamelSession's default asks again and again for a rejected password. */
  switch (camel_service_authenticate_sync (service, mechanism, cancellable, &local_error))
    {
      case CAMEL_AUTHENTICATION_ACCEPTED:
        return TRUE;

      case CAMEL_AUTHENTICATION_REJECTED:
        g_set_error (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                     "the server rejected the user name or password");
        return FALSE;

      case CAMEL_AUTHENTICATION_ERROR:
      default:
        if (local_error == NULL)
          g_set_error (&local_error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                       "authentication failed");
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
    }
}

static char *
bench_session_get_password (CamelSession *session,
                            CamelService *service,
                            const char *prompt,
                            const char *item,
                            guint32 flags,
                            GError **error)
{
  if ((flags & CAMEL_SESSION_PASSWORD_REPROMPT) != 0)
    {
      g_set_error (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                   "the password was rejected");
      return NULL;
    }
  return g_strdup (bench.password);
}

static gboolean
bench_session_forget_password (CamelSession *session,
                               CamelService *service,
                               const char *item,
                               GError **error)
{
  return TRUE;
}

/* No filter rules. CamelFolder asks for them when new mail arrives in INBOX; without
 * this it would log a critical. */
static CamelFilterDriver *
bench_session_get_filter_driver (CamelSession *session,
                                 const char *type,
                                 CamelFolder *for_folder,
                                 GError **error)
{
  g_set_error (error, CAMEL_ERROR, CAMEL_ERROR_GENERIC, "no filters");
  return NULL;
}

static void
bench_session_class_init (BenchSessionClass *klass)
{
  CamelSessionClass *session_class = CAMEL_SESSION_CLASS (klass);

  session_class->trust_prompt = bench_session_trust_prompt;
  session_class->authenticate_sync = bench_session_authenticate_sync;
  session_class->get_password = bench_session_get_password;
  session_class->forget_password = bench_session_forget_password;
  session_class->get_filter_driver = bench_session_get_filter_driver;
}

static void
bench_session_init (BenchSession *self)
{
}

/* Helpers */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Lets Camel's idle callbacks (change notifications, finished jobs) run between steps. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static double
read_status_mb (const char *key)
{
  g_autofree char *text = NULL;
  size_t key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  for (char *line = text; line != NULL && *line != '\0';)
    {
      char *next = strchr (line, '\n');

      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        return g_ascii_strtod (line + key_len + 1, NULL) / 1024.0;
      line = next ? next + 1 : NULL;
    }
  return 0;
}

/* User plus system CPU time of this process, the part of a run's time that is Camel's own
 * work rather than waiting for the server or for another process's turn on the CPU. */
static double
cpu_ms (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
cache_dir_of (const char *folder_name)
{
  g_autofree char *escaped = g_uri_escape_string (folder_name, NULL, FALSE);

  return g_strdup_printf ("%s/cache-%s", bench.work_dir, escaped);
}

/* The child's side: one run, Camel in this process */

/* A session and an IMAPX store whose data and cache live in DIR. */
static CamelStore *
open_store (const char *dir, gboolean online, CamelSession **out_session, GError **error)
{
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  g_autoptr (CamelSession) session = NULL;
  g_autoptr (CamelService) service = NULL;
  g_autoptr (CamelSettings) settings = NULL;
  CamelNetworkSettings *network;

  session =
    g_object_new (BENCH_TYPE_SESSION, "user-data-dir", data_dir, "user-cache-dir", cache_dir, NULL);
  camel_session_set_online (session, online);
  service = camel_session_add_service (session, "bench", "imapx", CAMEL_PROVIDER_STORE, error);
  if (service == NULL)
    return NULL;

  settings = camel_service_ref_settings (service);
  network = CAMEL_NETWORK_SETTINGS (settings);
  camel_network_settings_set_host (network, bench.host);
  camel_network_settings_set_port (network, bench.port);
  camel_network_settings_set_user (network, bench.user);
  camel_network_settings_set_security_method (network, bench.security);
  camel_service_set_password (service, bench.password);

  *out_session = g_steal_pointer (&session);
  return CAMEL_STORE (g_steal_pointer (&service));
}

static void
close_store (CamelSession *session, CamelStore *store, CamelFolder *folder)
{
  if (folder != NULL)
    g_object_unref (folder);
  if (store != NULL)
    {
      if (camel_service_get_connection_status (CAMEL_SERVICE (store)) != CAMEL_SERVICE_DISCONNECTED)
        camel_service_disconnect_sync (CAMEL_SERVICE (store), TRUE, NULL, NULL);
      camel_session_remove_service (session, CAMEL_SERVICE (store));
      g_object_unref (store);
    }
  drain_main_context ();
  g_clear_object (&session);
  drain_main_context ();
}

static gboolean
child_sync (const char *dir, const char *folder_name, GError **error)
{
  CamelSession *session = NULL;
  CamelStore *store = NULL;
  CamelFolder *folder = NULL;
  CamelFolderInfo *info;
  gboolean ok = FALSE;
  guint messages;
  double t0, t1, t2, t3, t4, cpu0;

  cpu0 = cpu_ms ();
  t0 = now_ms ();
  store = open_store (dir, TRUE, &session, error);
  if (store == NULL)
    goto out;
  if (!camel_offline_store_set_online_sync (CAMEL_OFFLINE_STORE (store), TRUE, NULL, error) ||
      !camel_service_connect_sync (CAMEL_SERVICE (store), NULL, error))
    goto out;
  t1 = now_ms ();
  info =
    camel_store_get_folder_info_sync (store, NULL, CAMEL_STORE_FOLDER_INFO_RECURSIVE, NULL, error);
  if (info == NULL)
    goto out;
  camel_folder_info_free (info);
  t2 = now_ms ();
  folder = camel_store_get_folder_sync (store, folder_name, 0, NULL, error);
  if (folder == NULL || !camel_folder_refresh_info_sync (folder, NULL, error))
    goto out;
  t3 = now_ms ();
  if (!camel_folder_synchronize_sync (folder, FALSE, NULL, error))
    goto out;
  t4 = now_ms ();

  messages = camel_folder_get_message_count (folder);
  if (messages == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no messages after the sync");
      goto out;
    }
  g_print ("@ total_ms=%.3f connect_ms=%.3f list_ms=%.3f refresh_ms=%.3f save_ms=%.3f "
           "cpu_ms=%.3f messages=%u peak_rss_mb=%.3f\n",
           t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, cpu_ms () - cpu0, messages,
           read_status_mb ("VmHWM"));
  ok = TRUE;

out:
  close_store (session, store, folder);
  return ok;
}

typedef struct
{
  gint64 date;
  CamelMessageInfo *info;
} Row;

static int
compare_rows_newest_first (gconstpointer a, gconstpointer b)
{
  const Row *x = a, *y = b;

  return (x->date < y->date) - (x->date > y->date);
}

static gboolean
child_reopen (const char *dir, const char *folder_name, GError **error)
{
  CamelSession *session = NULL;
  CamelStore *store = NULL;
  CamelFolder *folder = NULL;
  CamelFolderSummary *summary;
  GPtrArray *uids = NULL;
  g_autoptr (GArray) rows = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize text_len = 0;
  gboolean ok = FALSE;
  guint messages;
  double t0, t1, t2, t3, cpu0;

  cpu0 = cpu_ms ();
  t0 = now_ms ();
  store = open_store (dir, FALSE, &session, error);
  if (store == NULL)
    goto out;
  folder = camel_store_get_folder_sync (store, folder_name, 0, NULL, error);
  if (folder == NULL)
    goto out;
  messages = camel_folder_get_message_count (folder);
  t1 = now_ms ();

  summary = camel_folder_get_folder_summary (folder);
  camel_folder_summary_prepare_fetch_all (summary, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  t2 = now_ms ();

  uids = camel_folder_summary_get_array (summary);
  rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), uids->len);
  for (guint i = 0; i < uids->len; i++)
    {
      Row row = { 0 };

      row.info = camel_folder_summary_get (summary, g_ptr_array_index (uids, i));
      if (row.info == NULL)
        continue;
      row.date = camel_message_info_get_date_sent (row.info);
      g_array_append_val (rows, row);
    }
  g_array_sort (rows, compare_rows_newest_first);
  for (guint i = 0; i < MIN (rows->len, FIRST_ROWS); i++)
    {
      CamelMessageInfo *info = g_array_index (rows, Row, i).info;
      const char *subject = camel_message_info_get_subject (info);
      const char *from = camel_message_info_get_from (info);

      text_len += (subject ? strlen (subject) : 0) + (from ? strlen (from) : 0);
    }
  t3 = now_ms ();

  if (messages == 0 || rows->len != messages || text_len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%u messages counted, %u loaded", messages,
                   rows->len);
      goto out;
    }
  g_print ("@ total_ms=%.3f open_ms=%.3f load_ms=%.3f sort_ms=%.3f cpu_ms=%.3f messages=%u "
           "rss_mb=%.3f peak_rss_mb=%.3f\n",
           t3 - t0, t1 - t0, t2 - t1, t3 - t2, cpu_ms () - cpu0, messages, read_status_mb ("VmRSS"),
           read_status_mb ("VmHWM"));
  ok = TRUE;

out:
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_object_unref (g_array_index (rows, Row, i).info);
  g_clear_pointer (&uids, camel_folder_summary_free_array);
  close_store (session, store, folder);
  return ok;
}

static gboolean
child_search (const char *dir, const char *folder_name, const char *expr, GError **error)
{
  CamelSession *session = NULL;
  CamelStore *store = NULL;
  CamelFolder *folder = NULL;
  gboolean ok = FALSE;

  store = open_store (dir, FALSE, &session, error);
  if (store == NULL)
    goto out;
  folder = camel_store_get_folder_sync (store, folder_name, 0, NULL, error);
  if (folder == NULL)
    goto out;

  for (int i = 0; i < bench.n_runs; i++)
    {
      GPtrArray *result;
      double t0 = now_ms (), ms;

      result = camel_folder_search_by_expression (folder, expr, NULL, error);
      ms = now_ms () - t0;
      if (result == NULL)
        goto out;
      g_print ("@ total_ms=%.3f matches=%u\n", ms, result->len);
      camel_folder_search_free (folder, result);
      drain_main_context ();
    }
  ok = TRUE;

out:
  close_store (session, store, folder);
  return ok;
}

static int
run_child (const char *mode, const char *dir, const char *folder_name, const char *expr)
{
  g_autofree char *certdb_dir = g_build_filename (bench.work_dir, "camel", NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_mkdir_with_parents (certdb_dir, 0700);
  if (camel_init (certdb_dir, FALSE) != 0)
    {
      g_printerr ("bench-camel-baseline: Camel could not be initialized\n");
      return 1;
    }
  camel_provider_init ();

  if (g_strcmp0 (mode, "sync") == 0)
    ok = child_sync (dir, folder_name, &error);
  else if (g_strcmp0 (mode, "reopen") == 0)
    ok = child_reopen (dir, folder_name, &error);
  else if (g_strcmp0 (mode, "search") == 0 && expr != NULL)
    ok = child_search (dir, folder_name, expr, &error);
  else
    {
      g_printerr ("bench-camel-baseline: unknown --child %s\n", mode);
      return 2;
    }
  if (!ok)
    g_printerr ("bench-camel-baseline: %s %s: %s\n", mode, folder_name,
                error ? error->message : "failed");
  camel_shutdown ();
  return ok ? 0 : 1;
}

/* The parent's side: runs children, collects and prints */

typedef struct
{
  GPtrArray *keys;     /* in the order of the first run */
  GHashTable *samples; /* key -> GArray of double */
  guint runs;
} Series;

static void
series_clear (Series *series)
{
  g_clear_pointer (&series->keys, g_ptr_array_unref);
  g_clear_pointer (&series->samples, g_hash_table_unref);
}

static void
series_init (Series *series)
{
  series->keys = g_ptr_array_new_with_free_func (g_free);
  series->samples =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  series->runs = 0;
}

/* "@ key=value key=value": one run. */
static void
series_add_line (Series *series, const char *line)
{
  g_auto (GStrv) fields = g_strsplit (line + 1, " ", -1);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      char *eq = strchr (fields[i], '=');
      GArray *values;
      double value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      value = g_ascii_strtod (eq + 1, NULL);
      values = g_hash_table_lookup (series->samples, fields[i]);
      if (values == NULL)
        {
          char *key = g_strdup (fields[i]);

          values = g_array_new (FALSE, FALSE, sizeof (double));
          g_ptr_array_add (series->keys, key);
          g_hash_table_insert (series->samples, key, values);
        }
      g_array_append_val (values, value);
    }
  series->runs++;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
stats (GArray *values, double *median, double *min, double *max)
{
  g_autoptr (GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), values->len);
  guint n = values->len;

  g_array_append_vals (sorted, values->data, n);
  g_array_sort (sorted, compare_doubles);
  *min = g_array_index (sorted, double, 0);
  *max = g_array_index (sorted, double, n - 1);
  *median =
    n % 2 ? g_array_index (sorted, double, n / 2)
          : (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static void
series_print (Series *series, const char *prefix)
{
  g_print ("%s.runs: %u\n", prefix, series->runs);
  for (guint i = 0; i < series->keys->len; i++)
    {
      const char *key = g_ptr_array_index (series->keys, i);
      GArray *values = g_hash_table_lookup (series->samples, key);
      double median, min, max;

      stats (values, &median, &min, &max);
      if (g_str_equal (key, "total_ms"))
        {
          g_print ("%s.median_ms: %.1f\n", prefix, median);
          g_print ("%s.min_ms: %.1f\n", prefix, min);
          g_print ("%s.max_ms: %.1f\n", prefix, max);
          if (g_str_has_prefix (prefix, "camel.search."))
            g_print ("%s.first_ms: %.1f\n", prefix, g_array_index (values, double, 0));
        }
      else if (g_str_equal (key, "messages") || g_str_equal (key, "matches"))
        g_print ("%s.%s: %.0f\n", prefix, key, max);
      else if (g_str_has_suffix (key, "_mb"))
        g_print ("%s.%s: %.1f\n", prefix, key, max);
      else
        g_print ("%s.%s: %.1f\n", prefix, key, median);
    }
}

/* Runs this program with --child MODE; its "@" lines go into SERIES, the rest is shown. */
static gboolean
spawn_child (const char *mode,
             const char *dir,
             const char *folder_name,
             const char *expr,
             Series *series,
             GStrv *out_lines)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *runs = g_strdup_printf ("%d", bench.n_runs);
  g_auto (GStrv) lines = NULL;
  int status;

  g_strv_builder_add_many (builder, "/proc/self/exe", "--child", mode, "--dir", dir, "--cache-dir",
                           bench.work_dir, "--folder", folder_name, "--security",
                           bench.security_name, "--runs", runs, NULL);
  if (expr != NULL)
    g_strv_builder_add_many (builder, "--search", expr, NULL);
  argv = g_strv_builder_end (builder);

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-camel-baseline: %s %s: %s\n", mode, folder_name, error->message);
      return FALSE;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '@')
        series_add_line (series, lines[i]);
      else if (lines[i][0] != '\0')
        g_print ("%s\n", lines[i]);
    }
  if (out_lines != NULL)
    *out_lines = g_steal_pointer (&lines);
  return TRUE;
}

/* "@ total_ms=1.5 messages=10 peak_rss_mb=3.25" as "total 1.5 ms, messages 10, peak rss 3.2 MB". */
static char *
format_run (const char *line)
{
  g_auto (GStrv) fields = g_strsplit (line + 1, " ", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      char *eq = strchr (fields[i], '=');
      const char *unit = NULL;

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (g_str_has_suffix (fields[i], "_ms"))
        unit = "ms";
      else if (g_str_has_suffix (fields[i], "_mb"))
        unit = "MB";
      if (unit != NULL)
        fields[i][strlen (fields[i]) - 3] = '\0';
      g_strdelimit (fields[i], "_", ' ');
      if (text->len > 0)
        g_string_append (text, ", ");
      if (unit != NULL)
        g_string_append_printf (text, "%s %.1f %s", fields[i], g_ascii_strtod (eq + 1, NULL), unit);
      else
        g_string_append_printf (text, "%s %s", fields[i], eq + 1);
    }
  return g_string_free (text, FALSE);
}

static void
print_run (const char *what, const char *folder_name, const char *label, const char *line)
{
  g_autofree char *text = format_run (line);

  g_print ("# %s %s %s: %s\n", what, folder_name, label, text);
}

/* The last "@" line of LINES. */
static const char *
last_run (GStrv lines)
{
  const char *found = NULL;

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    if (lines[i][0] == '@')
      found = lines[i];
  return found;
}

static gboolean
bench_sync (const char *folder_name)
{
  g_autofree char *prefix = g_strdup_printf ("camel.sync.%s", folder_name);
  g_autofree char *cache = cache_dir_of (folder_name);
  Series series;
  gboolean ok = TRUE;

  series_init (&series);
  /* Run 0 is a warm-up, not counted: the server's first look at a folder is slower. */
  for (int i = 0; i <= bench.n_runs && ok; i++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/sync-run", bench.work_dir);
      g_autofree char *label = i ? g_strdup_printf ("run %d", i) : g_strdup ("warm-up");
      g_auto (GStrv) lines = NULL;
      Series warm_up;

      remove_tree (dir);
      series_init (&warm_up);
      ok = spawn_child ("sync", dir, folder_name, NULL, i ? &series : &warm_up, &lines);
      series_clear (&warm_up);
      if (ok)
        print_run ("sync", folder_name, label, last_run (lines));
      /* The last run's cache is kept for reopen and search. */
      if (ok && i == bench.n_runs && !g_file_test (cache, G_FILE_TEST_EXISTS) &&
          g_rename (dir, cache) == 0)
        continue;
      remove_tree (dir);
    }
  if (ok)
    series_print (&series, prefix);
  series_clear (&series);
  return ok;
}

/* The cache of FOLDER_NAME, synced once when missing. */
static char *
ensure_cache (const char *folder_name)
{
  g_autofree char *dir = cache_dir_of (folder_name);
  g_autofree char *prefix = g_strdup_printf ("camel.sync.%s", folder_name);
  g_auto (GStrv) lines = NULL;
  Series series;
  gboolean ok;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&dir);

  series_init (&series);
  ok = spawn_child ("sync", dir, folder_name, NULL, &series, &lines);
  if (ok)
    {
      print_run ("sync", folder_name, "to fill the cache", last_run (lines));
      series_print (&series, prefix);
    }
  else
    remove_tree (dir);
  series_clear (&series);
  return ok ? g_steal_pointer (&dir) : NULL;
}

static gboolean
bench_reopen (const char *folder_name)
{
  g_autofree char *dir = ensure_cache (folder_name);
  g_autofree char *prefix = g_strdup_printf ("camel.reopen.%s", folder_name);
  Series series;
  gboolean ok = dir != NULL;

  series_init (&series);
  for (int i = 0; i < bench.n_runs && ok; i++)
    {
      g_auto (GStrv) lines = NULL;

      ok = spawn_child ("reopen", dir, folder_name, NULL, &series, &lines);
      if (ok)
        {
          g_autofree char *label = g_strdup_printf ("run %d", i + 1);

          print_run ("reopen", folder_name, label, last_run (lines));
        }
    }
  if (ok)
    series_print (&series, prefix);
  series_clear (&series);
  return ok;
}

static gboolean
bench_search (const char *folder_name, const char *const *exprs)
{
  g_autofree char *dir = ensure_cache (folder_name);
  gboolean ok = dir != NULL;

  for (guint e = 0; ok && exprs[e] != NULL; e++)
    {
      g_autofree char *prefix = g_strdup_printf ("camel.search.%s.%u", folder_name, e + 1);
      Series series;

      series_init (&series);
      ok = spawn_child ("search", dir, folder_name, exprs[e], &series, NULL);
      if (ok)
        {
          GArray *times = g_hash_table_lookup (series.samples, "total_ms");

          g_print ("# search %s %s:", folder_name, exprs[e]);
          for (guint i = 0; times != NULL && i < times->len; i++)
            g_print (" %.1f", g_array_index (times, double, i));
          g_print (" ms\n");
          g_print ("%s.expr: %s\n", prefix, exprs[e]);
          series_print (&series, prefix);
        }
      series_clear (&series);
    }
  return ok;
}

/* Set-up */

static gboolean
read_server (const char *security, GError **error)
{
  const char *names[] = { "KONTOR_TEST_HOST", "KONTOR_TEST_USER", "KONTOR_TEST_PASSWORD",
                          "KONTOR_TEST_CA_CERT", NULL };
  const char *port_name;
  const char *port;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_getenv (names[i]) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "%s is not set; run it under tests/servers/with-servers.sh", names[i]);
        return FALSE;
      }

  if (g_strcmp0 (security, "starttls") == 0)
    bench.security = CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT;
  else if (g_strcmp0 (security, "ssl") == 0)
    bench.security = CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT;
  else if (g_strcmp0 (security, "none") == 0)
    bench.security = CAMEL_NETWORK_SECURITY_METHOD_NONE;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--security is starttls, ssl or none, not %s", security);
      return FALSE;
    }
  port_name = bench.security == CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT
                ? "KONTOR_TEST_IMAPS_PORT"
                : "KONTOR_TEST_IMAP_PORT";
  port = g_getenv (port_name);
  if (port == NULL || atoi (port) <= 0 || atoi (port) > G_MAXUINT16)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s is not a port", port_name);
      return FALSE;
    }

  bench.security_name = g_strdup (security);
  bench.host = g_strdup (g_getenv ("KONTOR_TEST_HOST"));
  bench.port = atoi (port);
  bench.user = g_strdup (g_getenv ("KONTOR_TEST_USER"));
  bench.password = g_strdup (g_getenv ("KONTOR_TEST_PASSWORD"));
  bench.ca = g_tls_certificate_new_from_file (g_getenv ("KONTOR_TEST_CA_CERT"), error);
  return bench.ca != NULL;
}

/* Camel and GLib write under HOME and the XDG folders (the certificate database, caches):
 * keep all of it in the work folder. Before anything in GLib reads them. */
static void
isolate (const char *work_dir)
{
  const char *vars[][2] = {
    { "HOME", "home" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *path = g_build_filename (work_dir, "env", vars[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (vars[i][0], path, TRUE);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *folder_name = NULL;
  g_autofree char *big_folder_name = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *security = NULL;
  g_autofree char *child = NULL;
  g_autofree char *child_dir = NULL;
  g_auto (GStrv) searches = NULL;
  gboolean do_sync = FALSE, do_reopen = FALSE, suite = FALSE, own_work_dir, ok = TRUE;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &bench.n_runs, "Runs per measurement (5)", "N" },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder_name, "The folder (INBOX)", "NAME" },
    { "big-folder", 0, 0, G_OPTION_ARG_STRING, &big_folder_name,
      "The large folder of --suite (Big)", "NAME" },
    { "sync", 0, 0, G_OPTION_ARG_NONE, &do_sync, "Header syncs into empty caches", NULL },
    { "reopen", 0, 0, G_OPTION_ARG_NONE, &do_reopen, "Warm reopens of the cached folder", NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING_ARRAY, &searches,
      "Searches of the cached folder with a Camel sexp", "EXPR" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "Work folder to keep and reuse (a temporary one by default)", "DIR" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security, "starttls (default), ssl or none",
      "METHOD" },
    { "suite", 0, 0, G_OPTION_ARG_NONE, &suite,
      "Sync and reopen of INBOX, reopen and searches of Big", NULL },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, NULL, NULL },
    { "dir", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &child_dir, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bench.n_runs = 5;
  context = g_option_context_new ("- bare Camel IMAPX baselines against tests/servers");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || bench.n_runs < 1)
    {
      g_printerr ("bench-camel-baseline: %s\n",
                  error ? error->message : "--runs must be at least 1");
      return 2;
    }
  if (folder_name == NULL)
    folder_name = g_strdup ("INBOX");
  if (big_folder_name == NULL)
    big_folder_name = g_strdup ("Big");
  if (!do_sync && !do_reopen && searches == NULL && !suite)
    do_sync = TRUE;

  if (!read_server (security ? security : "starttls", &error))
    {
      g_printerr ("bench-camel-baseline: %s\n", error->message);
      return 2;
    }

  own_work_dir = cache_dir == NULL;
  if (own_work_dir)
    bench.work_dir = g_dir_make_tmp ("kontor-bench-camel-XXXXXX", &error);
  else if (g_mkdir_with_parents (cache_dir, 0700) == 0)
    bench.work_dir = g_canonicalize_filename (cache_dir, NULL);
  if (bench.work_dir == NULL)
    {
      g_printerr ("bench-camel-baseline: no work folder: %s\n",
                  error ? error->message : g_strerror (errno));
      return 2;
    }
  isolate (bench.work_dir);

  if (child != NULL)
    return run_child (child, child_dir, folder_name, searches ? searches[0] : NULL);

  g_print ("# bare Camel (imapx) at %s:%u (%s), user %s, %d runs each\n", bench.host, bench.port,
           bench.security_name, bench.user, bench.n_runs);

  if (suite)
    ok = bench_sync (folder_name) && bench_reopen (folder_name) && bench_reopen (big_folder_name) &&
         bench_search (big_folder_name, searches ? (const char *const *) searches : suite_searches);
  else
    {
      if (do_sync)
        ok = bench_sync (folder_name);
      if (do_reopen && ok)
        ok = bench_reopen (folder_name);
      if (searches != NULL && ok)
        ok = bench_search (folder_name, (const char *const *) searches);
    }

  if (own_work_dir)
    remove_tree (bench.work_dir);
  g_free (bench.work_dir);
  g_free (bench.host);
  g_free (bench.user);
  g_free (bench.password);
  g_free (bench.security_name);
  g_clear_object (&bench.ca);
  return ok ? 0 : 1;
}
