/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-mail.c: the Mail benchmark: the real Kontor against the harness's Dovecot, with
 * the bare Camel baselines of bench-camel-baseline measured in the same run.
 *
 * Every figure comes from a Kontor process of its own, the build's kontor binary with
 * the Mail plugin, started by this program with XDG_DATA_HOME and XDG_CACHE_HOME in a
 * profile folder of its own (the account itself lives in the session's EDS registry and
 * keyring, added once with kontorctl). Settings go through GSettings, which the session
 * keeps in a keyfile. In order:
 *
 * 1. sync: the initial header sync of INBOX (10,000 messages): a new empty profile and a
 *    new process (kontor --gapplication-service) per run; the time is the wall time of
 *    Mail1.Sync(account), called once Mail1 is on the bus (the engine starts with that
 *    call). mail-offline-days is 0, so no bodies are downloaded; Kontor's Sync also
 *    lists the folders and refreshes the harness's other (empty) folders. One run,
 *    not counted, warms the server up. Each run is followed by one of
 *    `bench-camel-baseline --sync --runs 1` (bare Camel: connect, list, refresh INBOX,
 *    save; its own warm-up first), so both share the machine's ups and downs. After the
 *    runs, one more Kontor sync with mail-offline-days 30 shows what downloading the
 *    bodies of the last 30 days adds (informative).
 * 2. the folder "Big" (100,000 messages) is seeded now, with bench-mail-data.sh, so that
 *    it is not part of the INBOX syncs; one Kontor process syncs the whole account into
 *    the profile used from here on (informative: kontor.sync.all).
 * 3. open: Kontor with its window (GSK_RENDERER of the caller, cairo in the benchmark),
 *    mail-work-offline on, so that the cached copy is all there is; Shell1.Present
 *    ("mail"), and the page's probe (src/plugins/mail/ui/kontor-mail-page-probe.c,
 *    KONTOR_MAIL_PROBE) opens Big a second after the unified Inbox has loaded and times
 *    the open to the first frame that shows rows (the newest ones, read before Camel has
 *    the folder open), then waits until the whole list is shown. The resident set of the
 *    process with Big open (VmRSS, and its peak VmHWM) is read then. A new process per
 *    run.
 * 4. scroll: one more such process scrolls through the whole list of Big, one page per
 *    frame (KONTOR_MAIL_PROBE=scroll), timing every frame's work on the main thread
 *    (frame clock "before-paint" to "after-paint"), in wall time and in the main thread's
 *    own CPU time (cpu_*: what other processes took from it does not count there);
 *    memory is read again at the end. Then, with Kontor gone, a yardstick of the machine
 *    (bench-noise.c): 1,000 units of the same 6 ms of work, one per 10 ms; its
 *    machine.noise.* figures say how often and how far the machine alone stretched
 *    such a frame meanwhile (on a shared virtual machine, CPU time too).
 * 5. search: Mail1.Search by sender and by subject with folder = Big, in a new process
 *    on the same profile (offline, its window showing the unified Inbox, which keeps the
 *    process up between calls): one first search, then --runs timed ones, each query
 *    followed by bench-camel-baseline --folder Big --search EXPR (the Camel expression
 *    Kontor's query language gives) on Camel's own copy of Big, which it synced and
 *    reopened (--reopen, beside the open above) before.
 *
 * Output: lines starting with "#" say what happens; results are "key: value" lines
 * (times in ms, memory in MB), the baseline's lines as it prints them, and a last block
 * of "goal:" lines. The exit status is 0 also when a goal is missed, 1 when a run fails,
 * 2 on wrong usage. Run it under tests/servers/with-servers.sh --keyring, in a session
 * of tests/session-wrapper.sh --x11 (no other Kontor on the bus), with INBOX seeded:
 *
 *   meson test -C _build --benchmark mail -v
 *
 * or by hand, from the source root:
 *
 *   KONTOR_BIN=$PWD/_build/src/shell/kontor KONTORCTL_BIN=$PWD/_build/src/kontorctl/kontorctl \
 *   KONTOR_PLUGIN_DIR=$PWD/_build/src/plugins/mail GSETTINGS_SCHEMA_DIR=$PWD/_build/data \
 *   KONTOR_LIBRARY_DIR=$PWD/_build/src/core:$PWD/_build/src/shell:$PWD/_build/src/plugins/mail \
 *   GSK_RENDERER=cairo KONTOR_SOURCE_DIR=$PWD \
 *     tests/session-wrapper.sh --x11 -- tests/servers/with-servers.sh --keyring -- \
 *     tests/bench/mail/bench-mail-data.sh run --big 0 -- _build/tests/bench/mail/bench-mail
 *
 * bench-camel-baseline is looked for beside this program unless
 * KONTOR_BENCH_CAMEL_BASELINE names it; bench-mail-data.sh is KONTOR_BENCH_MAIL_DATA or
 * $KONTOR_SOURCE_DIR/tests/bench/mail/bench-mail-data.sh.
 *
 * Options: --runs N (5), --no-scroll, --online (steps 3 and 4 with the account online,
 * so the start-up sync runs meanwhile), --step sync|open|scroll|search (only these,
 * repeatable), --work-dir DIR (kept; a cached profile there is used again, with the
 * account of the same session), --verbose (Kontor's own output, with seconds since its
 * start). */
#define G_LOG_DOMAIN "kontor-bench"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-noise.h"

#define BUS_NAME    "io.github.kontor.Kontor"
#define OBJECT_PATH "/io/github/kontor/Kontor"
#define NOISE_UNITS 1000
#define MAIL_IFACE  "io.github.kontor.Mail1"
#define SCHEMA_ID   "io.github.kontor.Kontor"

#define INBOX_MESSAGES 10000
#define BIG_FOLDER     "Big"
#define BIG_MESSAGES   100000

#define GOAL_SYNC_MS       3000.0
#define GOAL_SYNC_RATIO    1.5
#define GOAL_FIRST_ROWS_MS 150.0
#define GOAL_FRAME_MS      16.0
#define GOAL_SEARCH_MS     100.0
#define GOAL_RSS_MB        250.0

/* Kontor's queries and the Camel expressions they become (kontor-mail-query.c). */
static const struct
{
  const char *label;
  const char *query;
  const char *sexp;
} searches[] = {
  { "sender", "from:anna", "(match-all (header-contains \"from\" \"anna\"))" },
  { "subject", "subject:budget", "(match-all (header-contains \"subject\" \"budget\"))" },
};

static int n_runs = 5;
static gboolean verbose;
static gboolean no_scroll;
static gboolean online_ui;
static char *work_dir;
static char **steps;
static GDBusConnection *bus;
static char *account_id;
static GHashTable *results; /* key -> double, what the goals are checked on */

/* Helpers ------------------------------------------------------------------------------ */

static gboolean
step (const char *name)
{
  return steps == NULL || g_strv_contains ((const char *const *) steps, name);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
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

  *median = *min = *max = 0;
  if (n == 0)
    return;
  g_array_append_vals (sorted, values->data, n);
  g_array_sort (sorted, compare_doubles);
  *min = g_array_index (sorted, double, 0);
  *max = g_array_index (sorted, double, n - 1);
  *median =
    n % 2 ? g_array_index (sorted, double, n / 2)
          : (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static double
median_of (GArray *values)
{
  double median, min, max;

  stats (values, &median, &min, &max);
  return median;
}

static double
max_of (GArray *values)
{
  double median, min, max;

  stats (values, &median, &min, &max);
  return max;
}

static void
result (const char *key, double value)
{
  g_hash_table_insert (results, g_strdup (key), g_memdup2 (&value, sizeof value));
}

static gboolean
lookup (const char *key, double *value)
{
  double *found = g_hash_table_lookup (results, key);

  if (found != NULL)
    *value = *found;
  return found != NULL;
}

/* Prints "key: median/min/max" lines for a series and keeps the median. */
static void
print_series (const char *prefix, GArray *values)
{
  g_autofree char *median_key = g_strdup_printf ("%s.median_ms", prefix);
  double median, min, max;

  stats (values, &median, &min, &max);
  g_print ("%s.runs: %u\n", prefix, values->len);
  g_print ("%s.median_ms: %.1f\n", prefix, median);
  g_print ("%s.min_ms: %.1f\n", prefix, min);
  g_print ("%s.max_ms: %.1f\n", prefix, max);
  result (median_key, median);
}

static void
iterate_until (gboolean *done, gint64 deadline_us)
{
  while (!*done && g_get_monotonic_time () < deadline_us)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
timeout_wakeup_cb (gpointer data)
{
  *(guint *) data = 0;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms, so that the output of running children keeps flowing. */
static void
sleep_ms (guint ms)
{
  guint id = g_timeout_add (ms, timeout_wakeup_cb, &id);

  while (id != 0)
    g_main_context_iteration (NULL, TRUE);
}

static char *
proc_status_line (GPid pid, const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  size_t key_len = strlen (key);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  for (char *line = text; line != NULL && *line != '\0';)
    {
      char *next = strchr (line, '\n');

      if (next != NULL)
        *next = '\0';
      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        return g_strdup (line + key_len + 1);
      line = next != NULL ? next + 1 : NULL;
    }
  return NULL;
}

static double
proc_status_mb (GPid pid, const char *key)
{
  g_autofree char *value = proc_status_line (pid, key);

  return value != NULL ? g_ascii_strtod (value, NULL) / 1024.0 : 0;
}

/* User plus system CPU time of @pid so far (its threads included). */
static double
proc_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

static GPid
parent_pid (GPid pid)
{
  g_autofree char *value = proc_status_line (pid, "PPid");

  return value != NULL ? (GPid) g_ascii_strtoll (value, NULL, 10) : 0;
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

static gboolean settings_offline;
static int settings_days;

static void
set_settings (gboolean work_offline, int offline_days)
{
  g_autoptr (GSettings) settings = g_settings_new (SCHEMA_ID);

  settings_offline = work_offline;
  settings_days = offline_days;

  g_settings_set_boolean (settings, "mail-work-offline", work_offline);
  g_settings_set_int (settings, "mail-offline-days", offline_days);
  /* The list's height decides how many rows a frame binds. */
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  g_settings_set_string (settings, "last-plugin", "mail");
  g_settings_sync ();
}

/* D-Bus -------------------------------------------------------------------------------- */

typedef struct
{
  gboolean done;
  GVariant *reply;
  GError *error;
} Call;

static void
call_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &call->error);
  call->done = TRUE;
}

static void
keepalive_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, NULL);
}

/* Mail1 calls do not hold the application, so a service process quits in the middle of a
 * call that takes longer than its inactivity timeout (10 s); each Shell1 call holds it
 * for another 10 s. */
static gboolean
keepalive_cb (gpointer data)
{
  g_dbus_connection_call (bus, BUS_NAME, OBJECT_PATH, "io.github.kontor.Shell1", "ListPlugins",
                          NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL,
                          keepalive_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

/* A call that keeps the main loop (and so the children's output) running meanwhile. */
static GVariant *
call (const char *iface,
      const char *method,
      GVariant *parameters,
      const char *reply_type,
      int timeout_ms,
      GError **error)
{
  Call state = { 0 };
  guint keepalive_id = 0;

  if (parameters != NULL)
    g_variant_ref_sink (parameters);
  for (int attempt = 0;; attempt++)
    {
      g_dbus_connection_call (bus, BUS_NAME, OBJECT_PATH, iface, method, parameters,
                              reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                              G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, NULL, call_done_cb,
                              &state);
      if (g_str_equal (iface, MAIL_IFACE))
        keepalive_id = g_timeout_add_seconds (5, keepalive_cb, NULL);
      while (!state.done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&keepalive_id, g_source_remove);
      /* Mail1 is a stub until its first call, replaced by the real interface in an idle
       * afterwards; a call in that very moment is refused (kontor-lazy-interface.c). */
      if (attempt < 3 && state.error != NULL &&
          (g_error_matches (state.error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
           g_error_matches (state.error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
           g_error_matches (state.error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)))
        {
          g_print ("# %s.%s refused (%s), asked again\n", iface, method, state.error->message);
          g_clear_error (&state.error);
          state.done = FALSE;
          sleep_ms (50);
          continue;
        }
      break;
    }
  g_clear_pointer (&parameters, g_variant_unref);
  if (state.error != NULL)
    {
      g_dbus_error_strip_remote_error (state.error);
      g_propagate_prefixed_error (error, state.error, "%s.%s: ", iface, method);
      return NULL;
    }
  return state.reply;
}

static GPid
name_owner_pid (void)
{
  g_autoptr (GVariant) reply = NULL;
  guint32 pid;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(u)", &pid);
  return (GPid) pid;
}

/* Kontor processes ------------------------------------------------------------------------ */

typedef struct
{
  char *label;
  GSubprocess *process;
  GPid pid;
  GDataInputStream *output;
  GCancellable *cancellable;
  GString *log;
  GPtrArray *probe_lines; /* "KIND key=value ..." after "kontor-mail-probe: " */
  gint64 started_us;
  gboolean exited;
  gboolean eof;
} App;

static void
app_read_line_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  App *app = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, NULL, NULL);
  if (line == NULL)
    {
      app->eof = TRUE;
      return;
    }
  if (g_str_has_prefix (line, "kontor-mail-probe: "))
    g_ptr_array_add (app->probe_lines, g_strdup (line + strlen ("kontor-mail-probe: ")));
  if (app->log->len < 64 * 1024)
    g_string_append_printf (app->log, "\n  | %s", line);
  if (verbose)
    g_printerr ("  %s %8.3f| %s\n", app->label, (g_get_monotonic_time () - app->started_us) / 1e6,
                line);
  g_data_input_stream_read_line_async (app->output, G_PRIORITY_DEFAULT, app->cancellable,
                                       app_read_line_cb, app);
}

static void
app_wait_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  App *app = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  app->exited = TRUE;
}

static void
app_free (App *app)
{
  if (app->process != NULL && !app->exited)
    {
      g_subprocess_force_exit (app->process);
      iterate_until (&app->exited, g_get_monotonic_time () + 5 * G_USEC_PER_SEC);
    }
  g_cancellable_cancel (app->cancellable);
  iterate_until (&app->eof, g_get_monotonic_time () + G_USEC_PER_SEC);
  g_clear_object (&app->output);
  g_clear_object (&app->process);
  g_clear_object (&app->cancellable);
  g_string_free (app->log, TRUE);
  g_ptr_array_unref (app->probe_lines);
  g_free (app->label);
  g_free (app);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (App, app_free)

static gboolean
wait_for_no_owner (GError **error)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (name_owner_pid () != 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "another process owns %s; run this in a session of its own", BUS_NAME);
          return FALSE;
        }
      sleep_ms (50);
    }
  return TRUE;
}

/* Starts Kontor with its profile in @profile; waits until it owns its bus name and has
 * exported Mail1 (the plugins are loaded after the name is taken). */
static App *
app_start (const char *label,
           const char *profile,
           gboolean service,
           const char *const *extra_env,
           GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree char *data_dir = g_build_filename (profile, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (profile, "cache", NULL);
  g_autoptr (App) app = g_new0 (App, 1);
  gint64 deadline;

  if (!wait_for_no_owner (error))
    return NULL;
  g_mkdir_with_parents (data_dir, 0700);
  g_mkdir_with_parents (cache_dir, 0700);
  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "KONTOR_MAIL_PROBE");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);

  app->label = g_strdup (label);
  app->log = g_string_new (NULL);
  app->probe_lines = g_ptr_array_new_with_free_func (g_free);
  app->cancellable = g_cancellable_new ();
  app->started_us = g_get_monotonic_time ();
  app->process = g_subprocess_launcher_spawn (launcher, error, g_getenv ("KONTOR_BIN"),
                                              service ? "--gapplication-service" : NULL, NULL);
  if (app->process == NULL)
    return NULL;
  app->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (app->process), NULL, 10);
  app->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app->process));
  g_data_input_stream_read_line_async (app->output, G_PRIORITY_DEFAULT, app->cancellable,
                                       app_read_line_cb, app);
  g_subprocess_wait_async (app->process, NULL, app_wait_cb, app);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      GPid owner = name_owner_pid ();

      /* KONTOR_BIN may be a wrapper (perf record, valgrind) that runs Kontor as its child. */
      if (owner != 0 && owner != app->pid && parent_pid (owner) == app->pid)
        app->pid = owner;
      if (owner == app->pid)
        {
          g_autoptr (GVariant) xml =
            call ("org.freedesktop.DBus.Introspectable", "Introspect", NULL, "(s)", 2000, NULL);
          const char *text = NULL;

          if (xml != NULL)
            g_variant_get (xml, "(&s)", &text);
          if (text != NULL && strstr (text, MAIL_IFACE) != NULL)
            break;
        }
      else if (owner != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s: %s is owned by process %d", label,
                       BUS_NAME, (int) owner);
          return NULL;
        }
      if (app->exited || g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s without Mail1 on the bus%s",
                       label, app->exited ? "exited" : "not up within 30 s", app->log->str);
          return NULL;
        }
      sleep_ms (5);
    }
  return g_steal_pointer (&app);
}

/* Quits through the application's "quit" action; kills after 15 s. */
static void
app_quit (App *app)
{
  if (!app->exited)
    {
      g_autoptr (GVariant) reply = NULL;
      GVariantBuilder parameters, platform;

      g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
      g_variant_builder_init (&platform, G_VARIANT_TYPE ("a{sv}"));
      reply = call ("org.gtk.Actions", "Activate",
                    g_variant_new ("(sava{sv})", "quit", &parameters, &platform), NULL, 5000, NULL);
      iterate_until (&app->exited, g_get_monotonic_time () + 15 * G_USEC_PER_SEC);
      if (!app->exited)
        {
          g_printerr ("bench-mail: %s did not quit within 15 s, killed\n", app->label);
          g_subprocess_force_exit (app->process);
          iterate_until (&app->exited, g_get_monotonic_time () + 5 * G_USEC_PER_SEC);
        }
    }
  wait_for_no_owner (NULL);
}

/* The fields of a probe line "KIND key=value ...", or NULL. */
static GHashTable *
parse_probe_line (const char *line, const char *kind)
{
  g_auto (GStrv) fields = g_strsplit (line, " ", -1);
  GHashTable *table;

  if (fields[0] == NULL || g_strcmp0 (fields[0], kind) != 0)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; fields[i] != NULL; i++)
    {
      char *eq = strchr (fields[i], '=');

      if (eq != NULL)
        g_hash_table_insert (table, g_strndup (fields[i], eq - fields[i]), g_strdup (eq + 1));
    }
  return table;
}

static double
field (GHashTable *table, const char *key)
{
  const char *value = g_hash_table_lookup (table, key);

  return value != NULL ? g_ascii_strtod (value, NULL) : -1;
}

/* Waits for the probe line of @kind (with folder=@folder when given) after line @from. */
static GHashTable *
app_wait_probe (App *app,
                const char *kind,
                const char *folder,
                guint *from,
                int timeout_s,
                GError **error)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      for (; *from < app->probe_lines->len; (*from)++)
        {
          GHashTable *table = parse_probe_line (g_ptr_array_index (app->probe_lines, *from), kind);

          if (table != NULL &&
              (folder == NULL || g_strcmp0 (g_hash_table_lookup (table, "folder"), folder) == 0))
            {
              (*from)++;
              return table;
            }
          g_clear_pointer (&table, g_hash_table_unref);
        }
      if (app->exited || g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "%s: no \"kontor-mail-probe: %s\" line for %s (%s)%s", app->label, kind,
                       folder != NULL ? folder : "any folder", app->exited ? "exited" : "timed out",
                       app->log->str);
          return NULL;
        }
      sleep_ms (20);
    }
}

/* The INBOX total and the account's folder count, from Mail1.ListFolders. */
static guint
folder_total (const char *full_name, GError **error)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariantIter) iter = NULL;
  GVariant *folder;
  guint total = 0;

  reply =
    call (MAIL_IFACE, "ListFolders", g_variant_new ("(s)", account_id), "(aa{sv})", 60000, error);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(aa{sv})", &iter);
  while ((folder = g_variant_iter_next_value (iter)) != NULL)
    {
      const char *name = NULL;
      guint32 count = 0;

      g_variant_lookup (folder, "full-name", "&s", &name);
      g_variant_lookup (folder, "total", "u", &count);
      if (g_strcmp0 (name, full_name) == 0)
        total = count;
      g_variant_unref (folder);
    }
  return total;
}

/* The messages of a folder in the local copy, offline (where ListFolders has no counts). */
static guint
cached_count (const char *full_name, GError **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/%s", account_id, full_name);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) ids = NULL;

  reply = call (MAIL_IFACE, "Search", g_variant_new ("(ss)", "", folder), "(as)", 600000, error);
  if (reply == NULL)
    return 0;
  ids = g_variant_get_child_value (reply, 0);
  return g_variant_n_children (ids);
}

/* Other programs -------------------------------------------------------------------------- */

/* Runs @argv to its end with its output shown; returns the output. */
static char *
run_program (const char *const *argv, const char *input, const char *indent, GError **error)
{
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                 (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0),
                               error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, error))
    return NULL;
  if (indent != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_print ("%s%s\n", indent, lines[i]);
    }
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s%s", argv[0],
                   err != NULL ? err : "", out != NULL && indent == NULL ? out : "");
      return NULL;
    }
  if (err != NULL && *err != '\0' && verbose)
    g_printerr ("%s", err);
  return g_steal_pointer (&out);
}

/* "key: value" lines of @text into results. */
static void
collect_results (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strstr (lines[i], ": ");
      char *end = NULL;
      double value;

      if (lines[i][0] == '#' || colon == NULL)
        continue;
      value = g_ascii_strtod (colon + 2, &end);
      if (end == colon + 2 || *end != '\0')
        continue;
      *colon = '\0';
      result (lines[i], value);
    }
}

static char *
find_program (const char *env, const char *argv0, const char *name, const char *source_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (g_getenv (env) != NULL)
    return g_strdup (g_getenv (env));
  dir = g_path_get_dirname (argv0);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&path);
  if (source_path != NULL && g_getenv ("KONTOR_SOURCE_DIR") != NULL)
    return g_build_filename (g_getenv ("KONTOR_SOURCE_DIR"), source_path, NULL);
  return NULL;
}

/* The steps ------------------------------------------------------------------------------- */

static char *camel_baseline;
static char *mail_data;

/* A service process on a throwaway profile, offline, for kontorctl accounts add. */
static gboolean
add_account (GError **error)
{
  g_autofree char *profile = g_build_filename (work_dir, "setup", NULL);
  g_autofree char *email =
    g_strdup_printf ("%s@%s", g_getenv ("KONTOR_TEST_USER"), g_getenv ("KONTOR_TEST_MAIL_DOMAIN"));
  g_autofree char *password = g_strdup_printf ("%s\n", g_getenv ("KONTOR_TEST_PASSWORD"));
  g_autofree char *out = NULL;
  g_autoptr (App) app = NULL;
  const char *argv[] = { g_getenv ("KONTORCTL_BIN"),
                         "accounts",
                         "add",
                         email,
                         "--display-name",
                         "Bench",
                         "--username",
                         g_getenv ("KONTOR_TEST_USER"),
                         "--imap-host",
                         g_getenv ("KONTOR_TEST_HOST"),
                         "--imap-port",
                         g_getenv ("KONTOR_TEST_IMAP_PORT"),
                         "--imap-security",
                         "starttls",
                         "--smtp-host",
                         g_getenv ("KONTOR_TEST_HOST"),
                         "--smtp-port",
                         g_getenv ("KONTOR_TEST_SMTP_PORT"),
                         "--smtp-security",
                         "starttls",
                         "--trusted-certificate",
                         g_getenv ("KONTOR_TEST_CA_CERT"),
                         NULL };

  set_settings (TRUE, 0);
  app = app_start ("setup", profile, TRUE, NULL, error);
  if (app == NULL)
    return FALSE;
  /* An account of an earlier run in this session (by hand, with --step). */
  {
    g_autoptr (GVariant) reply =
      call ("io.github.kontor.Accounts1", "List", NULL, "(aa{sv})", 30000, NULL);
    g_autoptr (GVariantIter) iter = NULL;
    GVariant *account;

    if (reply != NULL)
      g_variant_get (reply, "(aa{sv})", &iter);
    while (iter != NULL && (account = g_variant_iter_next_value (iter)) != NULL)
      {
        const char *id = NULL, *address = NULL;
        guint32 port = 0;

        g_variant_lookup (account, "id", "&s", &id);
        g_variant_lookup (account, "email", "&s", &address);
        g_variant_lookup (account, "imap-port", "u", &port);
        if (out == NULL && g_strcmp0 (address, email) == 0 &&
            port == g_ascii_strtoull (g_getenv ("KONTOR_TEST_IMAP_PORT"), NULL, 10))
          out = g_strdup (id);
        g_variant_unref (account);
      }
  }
  if (out == NULL)
    out = run_program (argv, password, NULL, error);
  app_quit (app);
  remove_tree (profile);
  if (out == NULL)
    return FALSE;
  account_id = g_strstrip (g_steal_pointer (&out));
  if (*account_id == '\0' || strchr (account_id, '\n') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "kontorctl accounts add said “%s”",
                   account_id);
      return FALSE;
    }
  g_print ("# account %s: %s, IMAP STARTTLS %s:%s\n", account_id, email,
           g_getenv ("KONTOR_TEST_HOST"), g_getenv ("KONTOR_TEST_IMAP_PORT"));
  return TRUE;
}

typedef struct
{
  double sync_ms;
  double start_ms; /* spawn to Mail1 on the bus */
  double cpu_ms;
  double peak_rss_mb;
  guint messages;
} SyncRun;

/* One Kontor process on @profile (new unless @keep): Mail1.Sync(account), timed. */
static gboolean
kontor_sync (const char *label,
             const char *profile,
             const char *check_folder,
             guint expected,
             SyncRun *run,
             GError **error)
{
  g_autoptr (App) app = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) check_error = NULL;
  double t0, t1, cpu0;

  remove_tree (profile);
  t0 = now_ms ();
  app = app_start (label, profile, TRUE, NULL, error);
  if (app == NULL)
    return FALSE;
  t1 = now_ms ();
  run->start_ms = t1 - t0;
  cpu0 = proc_cpu_ms (app->pid);
  reply = call (MAIL_IFACE, "Sync", g_variant_new ("(s)", account_id), "()", 1800 * 1000, error);
  run->sync_ms = now_ms () - t1;
  run->cpu_ms = proc_cpu_ms (app->pid) - cpu0;
  run->peak_rss_mb = proc_status_mb (app->pid, "VmHWM");
  if (reply == NULL)
    {
      g_prefix_error (error, "%s: ", label);
      app_quit (app);
      return FALSE;
    }
  run->messages = folder_total (check_folder, &check_error);
  if (check_error != NULL && (app->exited || name_owner_pid () != app->pid))
    {
      /* Seen while Mail1 released the application from a worker thread: the service
       * quit the moment Sync had answered. The copy is on disk: count it offline. */
      gboolean offline = settings_offline;
      int days = settings_days;
      g_autoptr (App) check = NULL;

      g_print ("# %s: Kontor quit right after Sync answered (%s); counting in a new "
               "process\n",
               label, check_error->message);
      g_clear_error (&check_error);
      app_quit (app);
      set_settings (TRUE, days);
      check = app_start ("count", profile, TRUE, NULL, error);
      if (check != NULL)
        {
          run->messages = cached_count (check_folder, &check_error);
          app_quit (check);
        }
      set_settings (offline, days);
      if (check == NULL)
        return FALSE;
    }
  if (check_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&check_error));
      app_quit (app);
      return FALSE;
    }
  app_quit (app);
  if (run->messages < expected)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "%s: %s has %u messages after Sync, not %u", label, check_folder,
                     run->messages, expected);
      return FALSE;
    }
  return TRUE;
}

static gboolean
bench_sync (GError **error)
{
  g_autoptr (GArray) sync = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) start = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) camel = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) camel_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double peak_rss = 0, kontor_median, camel_median;
  const char *camel_argv[] = { camel_baseline, "--sync", "--runs", "1", NULL };

  g_print ("# 1. header sync of INBOX (%d messages), mail-offline-days 0: Kontor "
           "(Mail1.Sync, new profile and process per run) and bare Camel, taking turns\n",
           INBOX_MESSAGES);
  set_settings (FALSE, 0);
  for (int i = 0; i <= n_runs; i++)
    {
      g_autofree char *profile = g_strdup_printf ("%s/sync-%d", work_dir, i);
      g_autofree char *label = i ? g_strdup_printf ("run %d", i) : g_strdup ("warm-up");
      g_autofree char *out = NULL;
      SyncRun run = { 0 };
      double value;

      if (!kontor_sync (label, profile, "INBOX", INBOX_MESSAGES, &run, error))
        return FALSE;
      remove_tree (profile);
      g_print ("# kontor sync INBOX %s: %.1f ms (process up in %.1f ms), cpu %.1f ms, "
               "peak rss %.1f MB, %u messages\n",
               label, run.sync_ms, run.start_ms, run.cpu_ms, run.peak_rss_mb, run.messages);
      if (i > 0)
        {
          g_array_append_val (sync, run.sync_ms);
          g_array_append_val (cpu, run.cpu_ms);
          g_array_append_val (start, run.start_ms);
          peak_rss = MAX (peak_rss, run.peak_rss_mb);
        }
      if (i == 0)
        continue;
      out = run_program (camel_argv, NULL, "  ", error);
      if (out == NULL)
        return FALSE;
      collect_results (out);
      if (lookup ("camel.sync.INBOX.median_ms", &value))
        g_array_append_val (camel, value);
      if (lookup ("camel.sync.INBOX.cpu_ms", &value))
        g_array_append_val (camel_cpu, value);
    }

  print_series ("kontor.sync.INBOX", sync);
  g_print ("kontor.sync.INBOX.cpu_ms: %.1f\n", median_of (cpu));
  g_print ("kontor.sync.INBOX.process_start_ms: %.1f\n", median_of (start));
  g_print ("kontor.sync.INBOX.peak_rss_mb: %.1f\n", peak_rss);
  print_series ("camel.sync.INBOX.turns", camel);
  g_print ("camel.sync.INBOX.turns.cpu_ms: %.1f\n", median_of (camel_cpu));
  kontor_median = median_of (sync);
  camel_median = median_of (camel);
  result ("kontor.sync.INBOX.ratio", kontor_median / camel_median);
  g_print ("kontor.sync.INBOX.ratio: %.2f\n", kontor_median / camel_median);
  g_print ("kontor.sync.INBOX.cpu_ratio: %.2f\n", median_of (cpu) / median_of (camel_cpu));

  /* What the default of mail-offline-days adds: the bodies of the last 30 days. */
  {
    g_autofree char *profile = g_strdup_printf ("%s/sync-bodies", work_dir);
    g_autoptr (GError) local_error = NULL;
    SyncRun run = { 0 };

    /* Informative only: a failure is shown, and the benchmark goes on. */
    set_settings (FALSE, 30);
    if (kontor_sync ("bodies", profile, "INBOX", INBOX_MESSAGES, &run, &local_error))
      {
        g_print ("# kontor sync INBOX with mail-offline-days 30: %.1f ms, cpu %.1f ms, "
                 "peak rss %.1f MB\n",
                 run.sync_ms, run.cpu_ms, run.peak_rss_mb);
        g_print ("kontor.sync.INBOX.bodies_30_days_ms: %.1f\n", run.sync_ms);
      }
    else
      g_print ("# kontor sync INBOX with mail-offline-days 30 failed: %s\n", local_error->message);
    remove_tree (profile);
    set_settings (FALSE, 0);
  }
  return TRUE;
}

static gboolean
big_seeded (void)
{
  g_autofree char *path = g_strdup_printf (
    "%s/%s/Maildir/." BIG_FOLDER, g_getenv ("KONTOR_TEST_MAIL_DIR"), g_getenv ("KONTOR_TEST_USER"));

  return g_getenv ("KONTOR_TEST_MAIL_DIR") != NULL && g_file_test (path, G_FILE_TEST_IS_DIR);
}

static gboolean
seed_big (GError **error)
{
  g_autofree char *out = NULL;
  g_autofree char *count = g_strdup_printf ("%d", BIG_MESSAGES);
  const char *argv[] = { mail_data, "seed", "--inbox", "0", "--big", count, NULL };

  if (big_seeded ())
    {
      g_print ("# 2. %s is there already\n", BIG_FOLDER);
      return TRUE;
    }
  g_print ("# 2. seeding %s with %d messages\n", BIG_FOLDER, BIG_MESSAGES);
  out = run_program (argv, NULL, "", error);
  return out != NULL;
}

static gboolean
sync_ui_profile (const char *profile, GError **error)
{
  SyncRun run = { 0 };

  set_settings (FALSE, 0);
  if (!kontor_sync ("sync all", profile, BIG_FOLDER, BIG_MESSAGES, &run, error))
    return FALSE;
  g_print ("# kontor sync of the whole account (INBOX and %s) into a new profile: %.1f ms, "
           "cpu %.1f ms, peak rss %.1f MB\n",
           BIG_FOLDER, run.sync_ms, run.cpu_ms, run.peak_rss_mb);
  g_print ("kontor.sync.all.ms: %.1f\n", run.sync_ms);
  g_print ("kontor.sync.all.peak_rss_mb: %.1f\n", run.peak_rss_mb);
  return TRUE;
}

/* The steps of an open in the probe's "open" line, each from the one before. The list
 * shows the newest rows before the folder is open in Camel; the whole list follows
 * (the "loaded" line). */
static const struct
{
  const char *field;
  const char *key;
  const char *what;
} open_steps[] = {
  { "swapped_ms", "list_ms", "list model made with the newest rows (worker thread)" },
  { "first_rows_ms", "first_frame_ms", "to the first frame with rows" },
};

static gboolean
bench_open (const char *profile, GError **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/%s", account_id, BIG_FOLDER);
  g_autoptr (GArray) first_rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) all_rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) hwm = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *steps[G_N_ELEMENTS (open_steps)];
  const char *env[] = { "KONTOR_MAIL_PROBE", "1", "KONTOR_MAIL_PROBE_FOLDER", folder, NULL };
  double widgets = 0;
  gboolean ok = TRUE;

  g_print ("# 3. open the cached %s (%d messages) in the window, %s: new process per run, "
           "one warm-up\n",
           BIG_FOLDER, BIG_MESSAGES, online_ui ? "online" : "mail-work-offline on");
  for (guint k = 0; k < G_N_ELEMENTS (open_steps); k++)
    steps[k] = g_array_new (FALSE, FALSE, sizeof (double));
  set_settings (!online_ui, 0);
  for (int i = 0; i <= n_runs && ok; i++)
    {
      g_autofree char *label = i ? g_strdup_printf ("run %d", i) : g_strdup ("warm-up");
      g_autoptr (App) app = NULL;
      g_autoptr (GVariant) reply = NULL;
      g_autoptr (GHashTable) open = NULL;
      g_autoptr (GHashTable) loaded = NULL;
      g_autoptr (GHashTable) memory = NULL;
      g_autoptr (GString) parts = g_string_new (NULL);
      guint from = 0;
      double value, before = 0;

      app = app_start (label, profile, FALSE, env, error);
      ok = app != NULL;
      if (ok)
        reply = call ("io.github.kontor.Shell1", "Present", g_variant_new ("(s)", "mail"), NULL,
                      30000, error);
      ok = ok && reply != NULL &&
           (open = app_wait_probe (app, "open", folder, &from, 120, error)) != NULL &&
           (loaded = app_wait_probe (app, "loaded", folder, &from, 120, error)) != NULL &&
           (memory = app_wait_probe (app, "memory", NULL, &from, 10, error)) != NULL;
      if (app != NULL)
        app_quit (app);
      if (!ok)
        break;
      if (field (loaded, "items") < BIG_MESSAGES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s shows %.0f messages, not %d",
                       BIG_FOLDER, field (loaded, "items"), BIG_MESSAGES);
          ok = FALSE;
          break;
        }
      for (guint k = 0; k < G_N_ELEMENTS (open_steps); k++)
        {
          double at = field (open, open_steps[k].field);

          value = at - before;
          before = at;
          g_string_append_printf (parts, "%s%s %.1f", k ? ", " : "", open_steps[k].key, value);
          if (i > 0)
            g_array_append_val (steps[k], value);
        }
      g_print ("# kontor open %s %s: first rows %.1f ms (%s ms), %.0f items, %.0f rows on screen, "
               "%.0f row widgets; all %.0f rows after %.1f ms, rss %.1f MB, peak %.1f MB\n",
               BIG_FOLDER, label, field (open, "first_rows_ms"), parts->str, field (open, "items"),
               field (open, "rows"), field (open, "widgets"), field (loaded, "items"),
               field (loaded, "ms"), field (memory, "rss_mb"), field (memory, "hwm_mb"));
      if (i == 0)
        continue;
      widgets = field (open, "widgets");
      value = field (open, "first_rows_ms");
      g_array_append_val (first_rows, value);
      value = field (loaded, "ms");
      g_array_append_val (all_rows, value);
      value = field (memory, "rss_mb");
      g_array_append_val (rss, value);
      value = field (memory, "hwm_mb");
      g_array_append_val (hwm, value);
    }
  if (ok)
    {
      print_series ("kontor.open.Big.first_rows", first_rows);
      for (guint k = 0; k < G_N_ELEMENTS (open_steps); k++)
        g_print ("# %s: %s\n", open_steps[k].key, open_steps[k].what);
      for (guint k = 0; k < G_N_ELEMENTS (open_steps); k++)
        g_print ("kontor.open.Big.%s: %.1f\n", open_steps[k].key, median_of (steps[k]));
      g_print ("kontor.open.Big.row_widgets: %.0f\n", widgets);
      g_print ("# all_rows_ms: the whole list read and shown (informative)\n");
      g_print ("kontor.open.Big.all_rows_ms: %.1f\n", median_of (all_rows));
      g_print ("kontor.open.Big.rss_mb: %.1f\n", max_of (rss));
      g_print ("kontor.open.Big.peak_rss_mb: %.1f\n", max_of (hwm));
      result ("kontor.open.Big.rss_mb", max_of (rss));
      result ("kontor.open.Big.peak_rss_mb", max_of (hwm));
    }
  for (guint k = 0; k < G_N_ELEMENTS (open_steps); k++)
    g_array_unref (steps[k]);
  return ok;
}

/* The machine's own share of slow frames, right after the scroll step. */
static void
print_noise (void)
{
  BenchNoise noise;

  g_print ("# the machine alone: %u units of the same 6 ms of work\n", NOISE_UNITS);
  bench_noise_measure (NOISE_UNITS, &noise);
  g_print ("machine.noise.units: %u\n", noise.units);
  g_print ("machine.noise.cpu_median_ms: %.1f\n", noise.cpu_median_ms);
  g_print ("machine.noise.cpu_p95_ms: %.1f\n", noise.cpu_p95_ms);
  g_print ("machine.noise.cpu_max_ms: %.1f\n", noise.cpu_max_ms);
  g_print ("machine.noise.cpu_over_16ms: %u\n", noise.cpu_over_16ms);
  g_print ("machine.noise.wall_median_ms: %.1f\n", noise.wall_median_ms);
  g_print ("machine.noise.wall_max_ms: %.1f\n", noise.wall_max_ms);
  result ("machine.noise.units", noise.units);
  result ("machine.noise.cpu_max_ms", noise.cpu_max_ms);
  result ("machine.noise.cpu_over_16ms", noise.cpu_over_16ms);
}

static gboolean
bench_scroll (const char *profile, GError **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/%s", account_id, BIG_FOLDER);
  const char *env[] = { "KONTOR_MAIL_PROBE", "scroll", "KONTOR_MAIL_PROBE_FOLDER", folder, NULL };
  g_autoptr (App) app = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GHashTable) scroll = NULL;
  g_autoptr (GHashTable) detail = NULL;
  g_autoptr (GHashTable) memory = NULL;
  guint from = 0;
  const char *keys[] = { "frames",
                         "max_ms",
                         "p95_ms",
                         "median_ms",
                         "over_16ms",
                         "seconds",
                         "rows_per_page",
                         "layout_median_ms",
                         "layout_p95_ms",
                         "layout_max_ms",
                         "paint_median_ms",
                         "paint_p95_ms",
                         "paint_max_ms",
                         "interval_median_ms",
                         "interval_p95_ms",
                         "interval_max_ms",
                         "cpu_median_ms",
                         "cpu_p95_ms",
                         "cpu_max_ms",
                         "cpu_over_16ms",
                         NULL };

  g_print ("# 4. scroll through all of %s, one page per frame\n", BIG_FOLDER);
  set_settings (!online_ui, 0);
  app = app_start ("scroll", profile, FALSE, env, error);
  if (app == NULL)
    return FALSE;
  reply =
    call ("io.github.kontor.Shell1", "Present", g_variant_new ("(s)", "mail"), NULL, 30000, error);
  if (reply == NULL ||
      (scroll = app_wait_probe (app, "scroll", NULL, &from, 1500, error)) == NULL ||
      (detail = app_wait_probe (app, "scroll-detail", NULL, &from, 10, error)) == NULL ||
      (memory = app_wait_probe (app, "memory", NULL, &from, 10, error)) == NULL)
    {
      app_quit (app);
      return FALSE;
    }
  app_quit (app);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("kontor.scroll.Big.%s", keys[i]);
      double value =
        field (scroll, keys[i]) >= 0 ? field (scroll, keys[i]) : field (detail, keys[i]);

      g_print ("%s: %.1f\n", key, value);
      result (key, value);
    }
  g_print ("kontor.scroll.Big.rss_mb: %.1f\n", field (memory, "rss_mb"));
  g_print ("kontor.scroll.Big.peak_rss_mb: %.1f\n", field (memory, "hwm_mb"));
  result ("kontor.scroll.Big.rss_mb", field (memory, "rss_mb"));
  result ("kontor.scroll.Big.peak_rss_mb", field (memory, "hwm_mb"));
  print_noise ();
  return TRUE;
}

/* One bare Camel run of bench-camel-baseline on the cache in WORK/camel; only its "#" lines
 * are shown, its results are returned in a table of their own. */
static GHashTable *
camel_baseline_run (const char *const *args, GError **error)
{
  g_autofree char *cache = g_build_filename (work_dir, "camel", NULL);
  g_autofree char *runs = g_strdup_printf ("%d", n_runs);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *out = NULL;
  GHashTable *table;

  g_strv_builder_add_many (builder, camel_baseline, "--folder", BIG_FOLDER, "--runs", runs,
                           "--cache-dir", cache, NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  out = run_program ((const char *const *) argv, NULL, NULL, error);
  if (out == NULL)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strstr (lines[i], ": ");

      if (lines[i][0] == '#' && strstr (lines[i], "bare Camel") == NULL)
        g_print ("  %s\n", lines[i]);
      /* "# search FOLDER EXPR: 1612.0 425.8 425.3 ms": every run's time. */
      if (g_str_has_prefix (lines[i], "# search ") && strstr (lines[i], "): ") != NULL)
        g_hash_table_insert (table, g_strdup ("times"),
                             g_strdup (strstr (lines[i], "): ") + strlen ("): ")));
      else if (lines[i][0] != '#' && colon != NULL)
        g_hash_table_insert (table, g_strndup (lines[i], colon - lines[i]), g_strdup (colon + 2));
    }
  return table;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Prints the results in @table under @from as under @to, and keeps them. */
static void
print_camel (GHashTable *table, const char *from, const char *to)
{
  guint n = 0;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, &n);

  qsort (keys, n, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n; i++)
    {
      const char *key = keys[i];
      g_autofree char *name = NULL;

      if (!g_str_has_prefix (key, from))
        continue;
      name = g_strconcat (to, key + strlen (from), NULL);
      g_print ("%s: %s\n", name, (char *) g_hash_table_lookup (table, key));
      if (!g_str_equal (key + strlen (from), ".expr"))
        result (name, g_ascii_strtod (g_hash_table_lookup (table, key), NULL));
    }
}

static gboolean
bench_search (const char *profile, GError **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/%s", account_id, BIG_FOLDER);
  g_autoptr (App) app = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GHashTable) inbox = NULL;
  g_autoptr (GHashTable) reopen = NULL;
  const char *reopen_args[] = { "--reopen", NULL };
  const char *env[] = { "KONTOR_MAIL_PROBE", "1", NULL };
  guint from = 0;

  g_print ("# 5. search %s by sender and by subject: Mail1.Search in a new process (with its "
           "window, showing the unified Inbox), mail-work-offline on, one first search and %d "
           "more per query, each query followed by bare Camel's (a process of its own, on its "
           "own copy of %s)\n",
           BIG_FOLDER, n_runs, BIG_FOLDER);

  /* Camel's own copy of Big first (its sync, and its reopen for comparison with the open
   * above), so that the searches below take turns with nothing else. */
  reopen = camel_baseline_run (reopen_args, error);
  if (reopen == NULL)
    return FALSE;
  print_camel (reopen, "camel.sync.Big", "camel.sync.Big");
  print_camel (reopen, "camel.reopen.Big", "camel.reopen.Big");

  set_settings (TRUE, 0);
  /* A window keeps the process up between calls, whatever Mail1 does with the
   * application's use count. */
  app = app_start ("search", profile, FALSE, env, error);
  if (app == NULL)
    return FALSE;
  /* The first Mail1 call opens the mail library and waits for the engine: not timed, nor
   * is the page's own start. */
  reply =
    call ("io.github.kontor.Shell1", "Present", g_variant_new ("(s)", "mail"), NULL, 30000, error);
  if (reply == NULL || (inbox = app_wait_probe (app, "open", NULL, &from, 120, error)) == NULL)
    {
      app_quit (app);
      return FALSE;
    }
  /* Offline, ListFolders gives no counts: the matches below show the copy is there. */
  folder_total (BIG_FOLDER, NULL);

  for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
    {
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *prefix = g_strdup_printf ("kontor.search.Big.%u", q + 1);
      g_autofree char *camel_prefix = g_strdup_printf ("camel.search.Big.%u", q + 1);
      g_autofree char *kontor_key = g_strdup_printf ("%s.median_ms", prefix);
      g_autofree char *camel_key = g_strdup_printf ("%s.median_ms", camel_prefix);
      const char *camel_args[] = { "--search", searches[q].sexp, NULL };
      g_autoptr (GHashTable) camel = NULL;
      double first = 0, kontor_median, camel_median;
      gsize matches = 0;

      g_print ("# kontor search %s %s:", BIG_FOLDER, searches[q].query);
      for (int i = 0; i <= n_runs; i++)
        {
          g_autoptr (GVariant) answer = NULL;
          g_autofree const char **ids = NULL;
          double t0 = now_ms (), ms;

          answer = call (MAIL_IFACE, "Search", g_variant_new ("(ss)", searches[q].query, folder),
                         "(as)", 600000, error);
          ms = now_ms () - t0;
          if (answer == NULL)
            {
              g_print ("\n");
              app_quit (app);
              return FALSE;
            }
          g_variant_get (answer, "(^a&s)", &ids);
          matches = g_strv_length ((char **) ids);
          g_print (" %.1f", ms);
          if (i == 0)
            first = ms;
          else
            g_array_append_val (times, ms);
        }
      g_print (" ms\n");
      g_print ("%s.query: %s\n", prefix, searches[q].query);
      g_print ("%s.matches: %zu\n", prefix, matches);
      g_print ("%s.first_ms: %.1f\n", prefix, first);
      print_series (prefix, times);

      camel = camel_baseline_run (camel_args, error);
      if (camel == NULL)
        {
          app_quit (app);
          return FALSE;
        }
      print_camel (camel, "camel.search.Big.1", camel_prefix);
      /* Like Kontor's, the median of the runs after the first (which loads the summary). */
      if (g_hash_table_contains (camel, "times"))
        {
          g_auto (GStrv) fields = g_strsplit (g_hash_table_lookup (camel, "times"), " ", -1);
          g_autoptr (GArray) later = g_array_new (FALSE, FALSE, sizeof (double));

          for (guint k = 1; fields[k] != NULL; k++)
            {
              double value = g_ascii_strtod (fields[k], NULL);

              if (value > 0)
                g_array_append_val (later, value);
            }
          if (later->len > 0)
            {
              g_print ("%s.later_median_ms: %.1f\n", camel_prefix, median_of (later));
              result (camel_key, median_of (later));
            }
        }
      if (lookup (kontor_key, &kontor_median) && lookup (camel_key, &camel_median) &&
          camel_median > 0)
        g_print ("# ratio: Kontor's median to Camel's later_median_ms\n%s.ratio: %.2f\n", prefix,
                 kontor_median / camel_median);
    }
  g_print ("kontor.search.Big.rss_mb: %.1f\n", proc_status_mb (app->pid, "VmRSS"));
  app_quit (app);
  return TRUE;
}

static void
print_goal (const char *what, const char *key, double goal, const char *unit, gboolean below)
{
  double value;

  if (!lookup (key, &value))
    {
      g_print ("goal: %-44s %8s\n", what, "not measured");
      return;
    }
  g_print ("goal: %-44s %8.1f %-2s (goal %s %.1f %s)  %s\n", what, value, unit,
           below ? "<" : "<=", goal, unit,
           (below ? value < goal : value <= goal) ? "PASS" : "MISSED");
}

static void
print_goals (void)
{
  g_print ("\n");
  print_goal ("INBOX header sync, median", "kontor.sync.INBOX.median_ms", GOAL_SYNC_MS, "ms", TRUE);
  print_goal ("INBOX header sync / bare Camel", "kontor.sync.INBOX.ratio", GOAL_SYNC_RATIO, "x",
              FALSE);
  print_goal ("Big: first rows, median", "kontor.open.Big.first_rows.median_ms", GOAL_FIRST_ROWS_MS,
              "ms", TRUE);
  print_goal ("Big: scrolling, longest frame", "kontor.scroll.Big.max_ms", GOAL_FRAME_MS, "ms",
              TRUE);
  print_goal ("Big: scrolling, 95th percentile frame", "kontor.scroll.Big.p95_ms", GOAL_FRAME_MS,
              "ms", TRUE);
  {
    double frames, over, units, noise_over, noise_max;

    /* The longest frame is the machine's as much as ours: compare with the yardstick. */
    if (lookup ("kontor.scroll.Big.frames", &frames) && frames > 0 &&
        lookup ("kontor.scroll.Big.cpu_over_16ms", &over) &&
        lookup ("machine.noise.units", &units) && units > 0 &&
        lookup ("machine.noise.cpu_over_16ms", &noise_over) &&
        lookup ("machine.noise.cpu_max_ms", &noise_max))
      g_print ("info: %-44s %8.1f %%  (no goal; the machine alone: %.1f %% of 6 ms units, "
               "longest %.1f ms)\n",
               "Big: scrolling, frames over 16 ms of CPU", 100 * over / frames,
               100 * noise_over / units, noise_max);
  }
  for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
    {
      g_autofree char *what =
        g_strdup_printf ("Big: search by %s (%s), median", searches[q].label, searches[q].query);
      g_autofree char *key = g_strdup_printf ("kontor.search.Big.%u.median_ms", q + 1);

      print_goal (what, key, GOAL_SEARCH_MS, "ms", TRUE);
    }
  {
    double kontor, camel;

    if (lookup ("kontor.open.Big.first_rows.median_ms", &kontor) &&
        lookup ("camel.reopen.Big.median_ms", &camel) && camel > 0)
      g_print ("info: %-44s %8.2f x  (no goal; Camel loads and sorts every summary)\n",
               "Big: first rows / bare Camel reopen", kontor / camel);
  }
  print_goal ("Big open: VmRSS", "kontor.open.Big.rss_mb", GOAL_RSS_MB, "MB", TRUE);
  print_goal ("Big open: VmHWM (peak)", "kontor.open.Big.peak_rss_mb", GOAL_RSS_MB, "MB", TRUE);
  print_goal ("Big scrolled to the end: VmRSS", "kontor.scroll.Big.rss_mb", GOAL_RSS_MB, "MB",
              TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ui_profile = NULL;
  gboolean own_work_dir, ok;
  const char *required[] = { "KONTOR_BIN",
                             "KONTORCTL_BIN",
                             "KONTOR_TEST_HOST",
                             "KONTOR_TEST_USER",
                             "KONTOR_TEST_PASSWORD",
                             "KONTOR_TEST_IMAP_PORT",
                             "KONTOR_TEST_SMTP_PORT",
                             "KONTOR_TEST_CA_CERT",
                             "KONTOR_TEST_MAIL_DOMAIN",
                             NULL };
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &n_runs, "Measured runs per figure (5)", "N" },
    { "no-scroll", 0, 0, G_OPTION_ARG_NONE, &no_scroll, "Leave out scrolling through Big", NULL },
    { "online", 0, 0, G_OPTION_ARG_NONE, &online_ui,
      "Open and scroll with the account online (the start-up sync runs meanwhile)", NULL },
    { "work-dir", 0, 0, G_OPTION_ARG_FILENAME, &work_dir,
      "Keep the profiles here (and reuse the cached one)", "DIR" },
    { "step", 0, 0, G_OPTION_ARG_STRING_ARRAY, &steps,
      "Only this step: sync, open, scroll or search; repeatable", "STEP" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Show Kontor's own output", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- the Mail benchmark against tests/servers");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_runs < 1)
    {
      g_printerr ("bench-mail: %s\n", error != NULL ? error->message : "--runs must be at least 1");
      return 2;
    }
  for (guint i = 0; required[i] != NULL; i++)
    if (g_getenv (required[i]) == NULL)
      {
        g_printerr ("bench-mail: %s is not set (see the top of bench-mail.c)\n", required[i]);
        return 2;
      }
  camel_baseline =
    find_program ("KONTOR_BENCH_CAMEL_BASELINE", argv[0], "bench-camel-baseline", NULL);
  mail_data = find_program ("KONTOR_BENCH_MAIL_DATA", argv[0], "bench-mail-data.sh",
                            "tests/bench/mail/bench-mail-data.sh");
  if (camel_baseline == NULL || mail_data == NULL)
    {
      g_printerr ("bench-mail: no %s; set %s\n",
                  camel_baseline == NULL ? "bench-camel-baseline" : "bench-mail-data.sh",
                  camel_baseline == NULL ? "KONTOR_BENCH_CAMEL_BASELINE"
                                         : "KONTOR_BENCH_MAIL_DATA");
      return 2;
    }

  own_work_dir = work_dir == NULL;
  if (own_work_dir)
    work_dir = g_dir_make_tmp ("kontor-bench-mail-XXXXXX", &error);
  else if (g_mkdir_with_parents (work_dir, 0700) != 0)
    g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", work_dir,
                 g_strerror (errno));
  bus = error == NULL ? g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error) : NULL;
  if (bus == NULL)
    {
      g_printerr ("bench-mail: %s\n", error->message);
      return 2;
    }
  results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ui_profile = g_build_filename (work_dir, "cached", NULL);

  g_print ("# Kontor Mail against %s:%s (STARTTLS), user %s; %d runs per figure; GSK_RENDERER=%s\n",
           g_getenv ("KONTOR_TEST_HOST"), g_getenv ("KONTOR_TEST_IMAP_PORT"),
           g_getenv ("KONTOR_TEST_USER"), n_runs,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(unset)");
  if (big_seeded ())
    g_print ("# %s was seeded before the start: every INBOX sync syncs it too\n", BIG_FOLDER);

  ok = wait_for_no_owner (&error) && add_account (&error) &&
       (!step ("sync") || bench_sync (&error)) &&
       (!(step ("open") || step ("scroll") || step ("search")) ||
        (seed_big (&error) &&
         (g_file_test (ui_profile, G_FILE_TEST_IS_DIR) || sync_ui_profile (ui_profile, &error)))) &&
       (!step ("open") || bench_open (ui_profile, &error)) &&
       (no_scroll || !step ("scroll") || bench_scroll (ui_profile, &error)) &&
       (!step ("search") || bench_search (ui_profile, &error));
  if (ok)
    print_goals ();
  else
    {
      fflush (stdout);
      g_printerr ("bench-mail: %s\n", error->message);
    }

  if (own_work_dir)
    remove_tree (work_dir);
  g_free (work_dir);
  g_free (account_id);
  g_free (camel_baseline);
  g_free (mail_data);
  g_hash_table_unref (results);
  g_strfreev (steps);
  g_object_unref (bus);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
