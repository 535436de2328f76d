/* SPDX-License-Identifier: GPL-3.0-or-later */
/* startup.c: times Kontor's start to the first frame of its window against bench-baseline.
 *
 * Each target is started as a new process, one at a time; the time counts from just
 * before the spawn to the "first-frame-us" line the process prints (both on
 * CLOCK_MONOTONIC). Every target gets one discarded warm-up run and then --runs
 * measured runs, the targets taking turns. This is done with GSK_RENDERER=cairo and
 * again with GSK_RENDERER unset (GTK's default, GL under X11), whatever the caller's
 * GSK_RENDERER is. The goal (issue: at most 1.3 times the baseline) is checked on
 * Kontor with the plugins of KONTOR_PLUGIN_DIR; Kontor with an empty plugin folder is
 * shown beside it. The exit status is 0 over the goal too, and 1 when a run fails.
 *
 * Kontor is single-instance: run this in a session without another Kontor, which
 * tests/session-wrapper.sh gives. From the build tree:
 *
 *   meson test -C _build --benchmark startup -v
 *
 * or by hand, from the source root:
 *
 *   KONTOR_BIN=$PWD/_build/src/shell/kontor GSETTINGS_SCHEMA_DIR=$PWD/_build/data \
 *   KONTOR_PLUGIN_DIR=$PWD/_build/tests/plugins \
 *     tests/session-wrapper.sh --x11 -- _build/tests/bench/startup [--runs N] [--verbose]
 *
 * bench-baseline is looked for beside this program unless KONTOR_BENCH_BASELINE names it. */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOAL_RATIO 1.30

typedef struct
{
  const char *label;
  const char *binary;
  const char *plugin_dir; /* NULL: KONTOR_PLUGIN_DIR is left alone */
  GArray *samples;        /* gint64, microseconds */
} Target;

typedef struct
{
  const char *name;
  const char *gsk_renderer; /* NULL: unset */
  char *resolved;           /* the renderer bench-baseline saw */
  Target targets[3];
} Pass;

typedef struct
{
  GMainLoop *loop;
  GSubprocess *process;
  GDataInputStream *output;
  GCancellable *cancellable;
  GString *log;
  gint64 first_frame;
  char *renderer;
  gboolean exited;
  gboolean eof;
  gboolean timed_out;
  GError *error;
} Run;

static int n_runs = 10;
static int timeout_s = 20;
static gboolean verbose;

/* After a timeout the output may stay open in a child of the child. */
static void
run_maybe_done (Run *run)
{
  if (run->exited && (run->eof || run->timed_out))
    g_main_loop_quit (run->loop);
}

static void
read_line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (run->output, result, NULL, &error);
  if (line == NULL)
    {
      if (error != NULL && run->error == NULL)
        run->error = g_steal_pointer (&error);
      run->eof = TRUE;
      run_maybe_done (run);
      return;
    }

  if (g_str_has_prefix (line, "first-frame-us "))
    {
      gint64 value;

      if (g_ascii_string_to_signed (line + strlen ("first-frame-us "), 10, 0, G_MAXINT64, &value,
                                    NULL))
        run->first_frame = value;
    }
  else if (g_str_has_prefix (line, "renderer "))
    {
      g_free (run->renderer);
      run->renderer = g_strdup (line + strlen ("renderer "));
    }
  else
    g_string_append_printf (run->log, "\n  | %s", line);

  g_data_input_stream_read_line_async (run->output, G_PRIORITY_DEFAULT, run->cancellable,
                                       read_line_cb, run);
}

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_wait_finish (run->process, result, &error) && run->error == NULL)
    run->error = g_steal_pointer (&error);
  run->exited = TRUE;
  run_maybe_done (run);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  g_subprocess_force_exit (run->process);
  run_maybe_done (run);
  return G_SOURCE_REMOVE;
}

/* Starts @binary once and waits for it to exit. Returns the time from the spawn to
 * its first frame in *elapsed_us. */
static gboolean
run_once (const char *binary, char **envp, gint64 *elapsed_us, char **renderer, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GString) log = NULL;
  Run run = { 0 };
  gboolean ok = FALSE;
  guint timeout_id;
  gint64 start;

  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, envp);

  start = g_get_monotonic_time ();
  run.process = g_subprocess_launcher_spawn (launcher, error, binary, NULL);
  if (run.process == NULL)
    return FALSE;

  loop = g_main_loop_new (NULL, FALSE);
  log = g_string_new (NULL);
  run.loop = loop;
  run.log = log;
  cancellable = g_cancellable_new ();
  run.cancellable = cancellable;
  run.output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.process));
  g_data_input_stream_read_line_async (run.output, G_PRIORITY_DEFAULT, cancellable, read_line_cb,
                                       &run);
  g_subprocess_wait_async (run.process, NULL, wait_cb, &run);
  timeout_id = g_timeout_add_seconds (timeout_s, timeout_cb, &run);

  g_main_loop_run (loop);
  if (!run.timed_out)
    g_source_remove (timeout_id);
  /* The pending read points at this frame: let it finish. */
  g_cancellable_cancel (cancellable);
  while (!run.eof)
    g_main_context_iteration (NULL, TRUE);

  if (run.timed_out)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s: not done within %d s, killed%s",
                 binary, timeout_s, log->str);
  else if (run.error != NULL)
    g_set_error (error, run.error->domain, run.error->code, "%s: %s%s", binary, run.error->message,
                 log->str);
  else if (!g_subprocess_get_successful (run.process))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s %d%s", binary,
                 g_subprocess_get_if_signaled (run.process) ? "killed by signal" : "exit status",
                 g_subprocess_get_if_signaled (run.process)
                   ? g_subprocess_get_term_sig (run.process)
                   : g_subprocess_get_exit_status (run.process),
                 log->str);
  else if (run.first_frame < start)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "%s: exited without reporting a first frame "
                 "(is another instance running on this session bus?)%s",
                 binary, log->str);
  else
    {
      *elapsed_us = run.first_frame - start;
      if (renderer != NULL && run.renderer != NULL)
        {
          g_free (*renderer);
          *renderer = g_steal_pointer (&run.renderer);
        }
      ok = TRUE;
    }

  g_clear_error (&run.error);
  g_clear_pointer (&run.renderer, g_free);
  g_clear_object (&run.output);
  g_clear_object (&run.process);
  return ok;
}

static char **
target_environ (const Pass *pass, const Target *target)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "KONTOR_REPORT_FIRST_FRAME", "1", TRUE);
  if (pass->gsk_renderer != NULL)
    envp = g_environ_setenv (envp, "GSK_RENDERER", pass->gsk_renderer, TRUE);
  else
    envp = g_environ_unsetenv (envp, "GSK_RENDERER");
  if (target->plugin_dir != NULL)
    envp = g_environ_setenv (envp, "KONTOR_PLUGIN_DIR", target->plugin_dir, TRUE);
  return envp;
}

static gboolean
run_pass (Pass *pass, GError **error)
{
  /* Run 0 is the warm-up. The order of the targets turns with every run. */
  for (int i = 0; i <= n_runs; i++)
    for (guint k = 0; k < G_N_ELEMENTS (pass->targets); k++)
      {
        guint index = (i + k) % G_N_ELEMENTS (pass->targets);
        Target *target = &pass->targets[index];
        g_auto (GStrv) envp = target_environ (pass, target);
        gint64 elapsed;

        if (!run_once (target->binary, envp, &elapsed, index == 0 ? &pass->resolved : NULL, error))
          {
            g_prefix_error (error, "%s, %s, run %d: ", pass->name, target->label, i);
            return FALSE;
          }
        if (verbose)
          g_printerr ("%s %-20s run %2d: %7.1f ms%s\n", pass->name, target->label, i,
                      elapsed / 1000.0, i == 0 ? " (warm-up)" : "");
        if (i > 0)
          g_array_append_val (target->samples, elapsed);
      }
  return TRUE;
}

static int
compare_samples (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* In milliseconds. */
static void
summarize (GArray *samples, double *median, double *min, double *max)
{
  g_autoptr (GArray) sorted = g_array_copy (samples);
  guint n = sorted->len;

  g_array_sort (sorted, compare_samples);
  *min = g_array_index (sorted, gint64, 0) / 1000.0;
  *max = g_array_index (sorted, gint64, n - 1) / 1000.0;
  if (n % 2 == 1)
    *median = g_array_index (sorted, gint64, n / 2) / 1000.0;
  else
    *median =
      (g_array_index (sorted, gint64, n / 2 - 1) + g_array_index (sorted, gint64, n / 2)) / 2000.0;
}

/* Prints the table of @pass and returns the ratio of Kontor with plugins. */
static double
print_pass (const Pass *pass)
{
  double floor_ms = 0, ratio = 0;

  if (pass->gsk_renderer != NULL)
    g_print ("\n%s: GSK_RENDERER=%s", pass->name, pass->gsk_renderer);
  else
    g_print ("\n%s: GSK_RENDERER unset", pass->name);
  g_print (", baseline drew with %s\n", pass->resolved != NULL ? pass->resolved : "?");
  g_print ("  %-20s %10s %10s %10s %8s\n", "target", "median", "min", "max", "ratio");
  for (guint k = 0; k < G_N_ELEMENTS (pass->targets); k++)
    {
      const Target *target = &pass->targets[k];
      double median, min, max;

      summarize (target->samples, &median, &min, &max);
      if (k == 0)
        floor_ms = median;
      if (k == 1)
        ratio = median / floor_ms;
      g_print ("  %-20s %7.1f ms %7.1f ms %7.1f ms %7.2fx\n", target->label, median, min, max,
               median / floor_ms);
    }
  return ratio;
}

static char *
find_baseline (const char *argv0)
{
  const char *path = g_getenv ("KONTOR_BENCH_BASELINE");
  g_autofree char *dir = NULL;

  if (path != NULL)
    return g_strdup (path);
  dir = g_path_get_dirname (argv0);
  return g_build_filename (dir, "bench-baseline", NULL);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *baseline = NULL;
  g_autofree char *empty_dir = NULL;
  g_auto (GStrv) renderers = NULL;
  const char *kontor, *plugin_dir;
  double ratios[2];
  Pass passes[2];
  guint n_passes = 0;
  gboolean ok = TRUE;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &n_runs, "Measured runs per target (default 10)", "N" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_s, "Seconds a run may take (default 20)", "S" },
    { "renderer", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &renderers,
      "Only this GSK_RENDERER: cairo or default (GTK's choice); repeatable", "NAME" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every run to stderr", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- time Kontor's start to its first frame");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_runs < 1 || timeout_s < 1)
    {
      g_printerr ("--runs and --timeout must be at least 1\n");
      return 2;
    }

  kontor = g_getenv ("KONTOR_BIN");
  plugin_dir = g_getenv ("KONTOR_PLUGIN_DIR");
  baseline = find_baseline (argv[0]);
  if (kontor == NULL || plugin_dir == NULL)
    {
      g_printerr ("KONTOR_BIN and KONTOR_PLUGIN_DIR must be set (see the top of startup.c)\n");
      return 2;
    }
  if (!g_file_test (baseline, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("No bench-baseline at %s; set KONTOR_BENCH_BASELINE\n", baseline);
      return 2;
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "cairo" : "default";

      if (renderers != NULL && !g_strv_contains ((const char *const *) renderers, name))
        continue;
      passes[n_passes] = (Pass){ .name = name, .gsk_renderer = i == 0 ? "cairo" : NULL };
      n_passes++;
    }
  if (n_passes == 0)
    {
      g_printerr ("--renderer takes cairo or default\n");
      return 2;
    }

  empty_dir = g_dir_make_tmp ("kontor-bench-XXXXXX", &error);
  if (empty_dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint p = 0; p < n_passes; p++)
    {
      Target *targets = passes[p].targets;

      targets[0] = (Target){ "baseline", baseline, NULL, NULL };
      targets[1] = (Target){ "kontor (plugins)", kontor, plugin_dir, NULL };
      targets[2] = (Target){ "kontor (no plugins)", kontor, empty_dir, NULL };
      for (guint k = 0; k < G_N_ELEMENTS (passes[p].targets); k++)
        targets[k].samples = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  g_print ("startup: spawn to first frame of the main window, median of %d runs "
           "(+1 warm-up) per target\n",
           n_runs);
  g_print ("kontor (plugins) loads %s\n", plugin_dir);

  for (guint p = 0; p < n_passes && ok; p++)
    {
      ok = run_pass (&passes[p], &error);
      if (ok)
        ratios[p] = print_pass (&passes[p]);
    }

  if (ok)
    {
      /* The median of Kontor with plugins over the baseline's. */
      g_print ("\n");
      for (guint p = 0; p < n_passes; p++)
        g_print ("goal: <= %.2fx  %-8s kontor (plugins) %.2fx  %s\n", GOAL_RATIO, passes[p].name,
                 ratios[p], ratios[p] <= GOAL_RATIO ? "PASS" : "OVER");
    }
  else
    {
      fflush (stdout);
      g_printerr ("startup: %s\n", error->message);
    }

  g_rmdir (empty_dir);
  for (guint p = 0; p < n_passes; p++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (passes[p].targets); k++)
        g_array_unref (passes[p].targets[k].samples);
      g_free (passes[p].resolved);
    }

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
