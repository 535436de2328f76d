/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-probe.c: timing hooks of the message list for the Mail benchmark.
 *
 * Off (one test of a static flag per call) unless KONTOR_MAIL_PROBE is set. Then each
 * folder the page opens prints, on stderr,
 *
 *   kontor-mail-probe: first-rows folder=ID ms=N
 *   kontor-mail-probe: open folder=ID items=N rows=R widgets=W swapped_ms=A announced_ms=B
 *     loaded_ms=C first_rows_ms=D
 *   kontor-mail-probe: memory when=first-rows rss_mb=X hwm_mb=Y
 *   kontor-mail-probe: loaded folder=ID items=N ms=T
 *   kontor-mail-probe: memory when=loaded rss_mb=X hwm_mb=Y
 *
 * timed from kontor_mail_page_open_folder() to the "after-paint" of the first frame in
 * which the list view is mapped, its model has items and at least one row is mapped;
 * swapped_ms is when the engine handed over the folder's list model (the folder opened
 * in Camel), announced_ms when the list model announced its rows with items-changed
 * (they were read and sorted in a worker thread), loaded_ms when list_loaded_cb() ran
 * right after that emission (the difference is the list view's reaction: row widgets
 * made and bound); rows counts the rows on screen, widgets the row widgets the list
 * view made. A folder not open in Camel yet shows its newest rows first (swapped_ms is
 * then when they were read); "loaded" says when the whole list was read and shown.
 *
 * KONTOR_MAIL_PROBE_FOLDER=ID opens that folder once the first list the page opened has
 * loaded (the unified Inbox at start), KONTOR_MAIL_PROBE_DELAY_MS (1000) later, as a
 * click in the sidebar would.
 *
 * KONTOR_MAIL_PROBE=scroll then scrolls through that folder's whole list, half a second
 * after its first rows: a tick callback moves the list's vertical adjustment down by
 * KONTOR_MAIL_PROBE_SCROLL_PAGES pages (1) per frame until the end. A frame's time is
 * the main thread's work on it, from the frame clock's "before-paint" to its
 * "after-paint" (update with the scroll step, layout with the rows bound, paint), on the
 * monotonic clock. The interval from one frame's "before-paint" to the next is printed
 * beside it: it also counts what the main loop did between frames, and does not go
 * below the frame clock's pace (about 16.7 ms on X11):
 *
 *   kontor-mail-probe: scroll frames=N max_ms=X p95_ms=Y median_ms=Z
 *   kontor-mail-probe: scroll-detail folder=ID seconds=S rows_per_page=R over_16ms=K
 *     layout_median_ms=.. layout_p95_ms=.. layout_max_ms=.. paint_median_ms=..
 *     paint_p95_ms=.. paint_max_ms=.. interval_median_ms=.. interval_p95_ms=..
 *     interval_max_ms=.. cpu_median_ms=.. cpu_p95_ms=.. cpu_max_ms=.. cpu_over_16ms=..
 *   kontor-mail-probe: memory when=scrolled rss_mb=X hwm_mb=Y
 *
 * layout_* counts from "before-paint" to the end of the last "layout" phase (the scroll
 * step and binding rows), paint_* from there to the end of "paint". cpu_* is the main
 * thread's own CPU time over the same span (CLOCK_THREAD_CPUTIME_ID): a frame whose wall
 * time is far above its CPU time waited for a core that other processes held. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kontor-mail-page-private.h"
#include "kontor-mail-page-probe.h"

#define PROBE_KEY        "kontor-mail-probe"
#define SCROLL_SETTLE_MS 500

typedef struct
{
  GtkWidget *page; /* owns the probe */
  GtkListView *view;
  GdkFrameClock *clock;
  gulong before_paint_id;
  gulong layout_id;
  gulong paint_id;
  gulong after_paint_id;
  gulong realize_id;

  char *auto_folder;
  guint auto_delay_ms;
  gboolean auto_started;
  guint auto_id;

  /* The folder being opened */
  char *folder_id;
  gint64 opened_us;
  gint64 swapped_us;
  gint64 announced_us; /* the list's first items-changed with rows in it */
  gint64 loaded_us;
  gboolean loaded_printed;
  GListModel *list; /* weak */
  gulong emission_hook_id;
  gboolean waiting;

  /* The frame being drawn */
  gint64 frame_start_us;
  gint64 frame_start_cpu_us;
  gint64 layout_end_us;
  gint64 paint_end_us;
  gint64 last_frame_time; /* the last "before-paint" while scrolling */

  /* Scrolling */
  gboolean scroll_wanted;
  gboolean scroll_done;
  double scroll_pages;
  guint settle_id;
  guint tick_id;
  gboolean scrolling;
  guint at_end;
  guint rows_per_page;
  gint64 scroll_started_us;
  GArray *work;      /* double, ms */
  GArray *layout;    /* double, ms */
  GArray *paint;     /* double, ms */
  GArray *intervals; /* double, ms */
  GArray *cpu;       /* double, ms */
} Probe;

static int probe_mode = -1;

static gboolean
probe_enabled (void)
{
  if (G_UNLIKELY (probe_mode < 0))
    {
      const char *value = g_getenv ("KONTOR_MAIL_PROBE");

      probe_mode = value != NULL && *value != '\0';
    }
  return probe_mode;
}

static Probe *
probe_get (GtkWidget *page)
{
  return probe_enabled () ? g_object_get_data (G_OBJECT (page), PROBE_KEY) : NULL;
}

static double
status_mb (const char *key)
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
      line = next != NULL ? next + 1 : NULL;
    }
  return 0;
}

static void
print_memory (const char *when)
{
  g_printerr ("kontor-mail-probe: memory when=%s rss_mb=%.1f hwm_mb=%.1f\n", when,
              status_mb ("VmRSS"), status_mb ("VmHWM"));
}

/* The calling thread's CPU time, in microseconds. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median, 95th percentile (nearest rank) and maximum of @values; sorts them. */
static void
summarize (GArray *values, double *median, double *p95, double *max)
{
  guint n = values->len;

  *median = *p95 = *max = 0;
  if (n == 0)
    return;
  g_array_sort (values, compare_doubles);
  *median =
    n % 2 ? g_array_index (values, double, n / 2)
          : (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
  *p95 = g_array_index (values, double, MIN (n - 1, (guint) ((n * 95 + 99) / 100) - 1));
  *max = g_array_index (values, double, n - 1);
}

/* The rows on screen; @widgets (optional) gets how many row widgets the view holds. */
static guint
count_mapped_rows (GtkListView *view, guint *widgets)
{
  guint rows = 0, all = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      all++;
      if (gtk_widget_get_mapped (child) && gtk_widget_get_height (child) > 0)
        rows++;
    }
  if (widgets != NULL)
    *widgets = all;
  return rows;
}

/* Scrolling --------------------------------------------------------------------------- */

static void
scroll_finish (Probe *probe)
{
  double median, p95, max, layout_median, layout_p95, layout_max, paint_median, paint_p95,
    paint_max, interval_median, interval_p95, interval_max, cpu_median, cpu_p95, cpu_max;
  guint frames = probe->work->len, over = 0, cpu_over = 0;

  probe->scrolling = FALSE;
  probe->scroll_done = TRUE;
  for (guint i = 0; i < frames; i++)
    if (g_array_index (probe->work, double, i) >= 16.0)
      over++;
  for (guint i = 0; i < probe->cpu->len; i++)
    if (g_array_index (probe->cpu, double, i) >= 16.0)
      cpu_over++;
  /* Where the slowest frames were: at the start (row widgets made) or anywhere. */
  for (guint i = 0; i < frames; i++)
    if (g_array_index (probe->work, double, i) >= 30.0)
      g_printerr ("kontor-mail-probe: slow-frame index=%u ms=%.1f layout_ms=%.1f cpu_ms=%.1f\n", i,
                  g_array_index (probe->work, double, i), g_array_index (probe->layout, double, i),
                  g_array_index (probe->cpu, double, i));
  summarize (probe->work, &median, &p95, &max);
  summarize (probe->layout, &layout_median, &layout_p95, &layout_max);
  summarize (probe->paint, &paint_median, &paint_p95, &paint_max);
  summarize (probe->intervals, &interval_median, &interval_p95, &interval_max);
  summarize (probe->cpu, &cpu_median, &cpu_p95, &cpu_max);
  g_printerr ("kontor-mail-probe: scroll frames=%u max_ms=%.1f p95_ms=%.1f median_ms=%.1f\n",
              frames, max, p95, median);
  g_printerr ("kontor-mail-probe: scroll-detail folder=%s seconds=%.1f rows_per_page=%u "
              "over_16ms=%u layout_median_ms=%.1f layout_p95_ms=%.1f layout_max_ms=%.1f "
              "paint_median_ms=%.1f paint_p95_ms=%.1f paint_max_ms=%.1f "
              "interval_median_ms=%.1f interval_p95_ms=%.1f interval_max_ms=%.1f "
              "cpu_median_ms=%.1f cpu_p95_ms=%.1f cpu_max_ms=%.1f cpu_over_16ms=%u\n",
              probe->folder_id, (g_get_monotonic_time () - probe->scroll_started_us) / 1e6,
              probe->rows_per_page, over, layout_median, layout_p95, layout_max, paint_median,
              paint_p95, paint_max, interval_median, interval_p95, interval_max, cpu_median,
              cpu_p95, cpu_max, cpu_over);
  print_memory ("scrolled");
}

/* Runs in the frame clock's "update" phase, so the step is laid out and painted in the
 * same frame. */
static gboolean
scroll_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Probe *probe = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (!probe->scrolling)
    {
      probe->scrolling = TRUE;
      probe->scroll_started_us = g_get_monotonic_time ();
      probe->rows_per_page = count_mapped_rows (probe->view, NULL);
    }
  /* The end: a few frames in a row without anything left to scroll. */
  if (value + page >= upper - 0.5)
    {
      if (++probe->at_end >= 3)
        {
          probe->tick_id = 0;
          scroll_finish (probe);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    }
  probe->at_end = 0;
  gtk_adjustment_set_value (adjustment, MIN (value + page * probe->scroll_pages, upper - page));
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_start_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->settle_id = 0;
  if (probe->view == NULL)
    return G_SOURCE_REMOVE;
  probe->last_frame_time = 0;
  probe->tick_id =
    gtk_widget_add_tick_callback (GTK_WIDGET (probe->view), scroll_tick_cb, probe, NULL);
  return G_SOURCE_REMOVE;
}

static void
scroll_stop (Probe *probe)
{
  g_clear_handle_id (&probe->settle_id, g_source_remove);
  if (probe->tick_id != 0 && probe->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (probe->view), probe->tick_id);
  probe->tick_id = 0;
  if (probe->scrolling)
    g_printerr ("kontor-mail-probe: scroll aborted folder=%s\n", probe->folder_id);
  probe->scrolling = FALSE;
}

/* Frame clock ------------------------------------------------------------------------- */

static void
before_paint_cb (GdkFrameClock *clock, Probe *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (probe->scrolling && probe->last_frame_time != 0)
    {
      double interval = (now - probe->last_frame_time) / 1000.0;

      g_array_append_val (probe->intervals, interval);
    }
  probe->last_frame_time = probe->scrolling ? now : 0;
  probe->frame_start_us = now;
  probe->frame_start_cpu_us = thread_cpu_us ();
  probe->layout_end_us = 0;
  probe->paint_end_us = 0;
}

static void
layout_cb (GdkFrameClock *clock, Probe *probe)
{
  probe->layout_end_us = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock, Probe *probe)
{
  probe->paint_end_us = g_get_monotonic_time ();
}

static void
check_first_rows (Probe *probe, gint64 now)
{
  GtkSelectionModel *model = gtk_list_view_get_model (probe->view);
  guint items = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  guint rows, widgets;

  if (items == 0 || !gtk_widget_get_mapped (GTK_WIDGET (probe->view)))
    return;
  rows = count_mapped_rows (probe->view, &widgets);
  if (rows == 0)
    return;
  probe->waiting = FALSE;
  g_printerr ("kontor-mail-probe: first-rows folder=%s ms=%.1f\n", probe->folder_id,
              (now - probe->opened_us) / 1000.0);
  g_printerr ("kontor-mail-probe: open folder=%s items=%u rows=%u widgets=%u swapped_ms=%.1f "
              "announced_ms=%.1f loaded_ms=%.1f first_rows_ms=%.1f\n",
              probe->folder_id, items, rows, widgets,
              (probe->swapped_us - probe->opened_us) / 1000.0,
              probe->announced_us != 0 ? (probe->announced_us - probe->opened_us) / 1000.0 : -1.0,
              probe->loaded_us != 0 ? (probe->loaded_us - probe->opened_us) / 1000.0 : -1.0,
              (now - probe->opened_us) / 1000.0);
  print_memory ("first-rows");

  if (probe->scroll_wanted && !probe->scroll_done && probe->settle_id == 0 && probe->tick_id == 0 &&
      (probe->auto_folder == NULL || g_strcmp0 (probe->auto_folder, probe->folder_id) == 0))
    probe->settle_id = g_timeout_add (SCROLL_SETTLE_MS, scroll_start_cb, probe);
}

static void
after_paint_cb (GdkFrameClock *clock, Probe *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (probe->view == NULL)
    return;
  if (probe->waiting && probe->swapped_us != 0)
    check_first_rows (probe, now);
  if (probe->scrolling && probe->frame_start_us != 0)
    {
      gint64 layout_end = probe->layout_end_us != 0 ? probe->layout_end_us : probe->frame_start_us;
      gint64 paint_end = probe->paint_end_us != 0 ? probe->paint_end_us : layout_end;
      double work = (now - probe->frame_start_us) / 1000.0;
      double layout = (layout_end - probe->frame_start_us) / 1000.0;
      double paint = (paint_end - layout_end) / 1000.0;
      double cpu = (thread_cpu_us () - probe->frame_start_cpu_us) / 1000.0;

      g_array_append_val (probe->work, work);
      g_array_append_val (probe->layout, layout);
      g_array_append_val (probe->paint, paint);
      g_array_append_val (probe->cpu, cpu);
    }
  probe->frame_start_us = 0;
}

static void
unhook_clock (Probe *probe)
{
  gulong *ids[] = { &probe->before_paint_id, &probe->layout_id, &probe->paint_id,
                    &probe->after_paint_id };

  if (probe->clock == NULL)
    return;
  /* A clock that was disposed with its surface has dropped its handlers already. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      if (*ids[i] != 0 && g_signal_handler_is_connected (probe->clock, *ids[i]))
        g_signal_handler_disconnect (probe->clock, *ids[i]);
      *ids[i] = 0;
    }
  g_clear_object (&probe->clock);
}

/* Connected last, so "layout" and "paint" run after GTK's own handlers of the phase. */
static void
hook_clock (Probe *probe)
{
  GdkFrameClock *clock =
    probe->view != NULL ? gtk_widget_get_frame_clock (GTK_WIDGET (probe->view)) : NULL;

  if (clock == probe->clock)
    return;
  unhook_clock (probe);
  if (clock == NULL)
    return;
  probe->clock = g_object_ref (clock);
  probe->before_paint_id =
    g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), probe);
  probe->layout_id = g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), probe);
  probe->paint_id = g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), probe);
  probe->after_paint_id =
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), probe);
}

static void
view_realize_cb (GtkWidget *view, Probe *probe)
{
  hook_clock (probe);
}

/* Before any handler of the emission, so before the list view reacts to the rows. */
static gboolean
items_changed_hook_cb (GSignalInvocationHint *hint,
                       guint n_values,
                       const GValue *values,
                       gpointer user_data)
{
  Probe *probe = user_data;

  if (probe->waiting && probe->announced_us == 0 && probe->list != NULL &&
      g_value_get_object (&values[0]) == probe->list && g_value_get_uint (&values[3]) > 0)
    probe->announced_us = g_get_monotonic_time ();
  return TRUE;
}

/* Life cycle -------------------------------------------------------------------------- */

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  scroll_stop (probe);
  g_clear_handle_id (&probe->auto_id, g_source_remove);
  if (probe->emission_hook_id != 0)
    g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL),
                                   probe->emission_hook_id);
  g_clear_weak_pointer (&probe->list);
  unhook_clock (probe);
  if (probe->view != NULL)
    g_clear_signal_handler (&probe->realize_id, probe->view);
  g_clear_weak_pointer (&probe->view);
  g_free (probe->auto_folder);
  g_free (probe->folder_id);
  g_array_unref (probe->work);
  g_array_unref (probe->layout);
  g_array_unref (probe->paint);
  g_array_unref (probe->intervals);
  g_array_unref (probe->cpu);
  g_free (probe);
}

void
kontor_mail_page_probe_attach (GtkWidget *page,
                               GtkListView *message_view,
                               GListModel *message_list_model_or_null)
{
  const char *mode, *delay, *pages;
  Probe *probe;

  if (!probe_enabled ())
    return;
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (GTK_IS_LIST_VIEW (message_view));

  mode = g_getenv ("KONTOR_MAIL_PROBE");
  delay = g_getenv ("KONTOR_MAIL_PROBE_DELAY_MS");
  pages = g_getenv ("KONTOR_MAIL_PROBE_SCROLL_PAGES");
  probe = g_new0 (Probe, 1);
  probe->page = page;
  g_set_weak_pointer (&probe->view, message_view);
  probe->scroll_wanted = strstr (mode, "scroll") != NULL;
  probe->scroll_pages =
    pages != NULL && g_ascii_strtod (pages, NULL) > 0 ? g_ascii_strtod (pages, NULL) : 1.0;
  probe->auto_folder = g_strdup (g_getenv ("KONTOR_MAIL_PROBE_FOLDER"));
  if (probe->auto_folder != NULL && *probe->auto_folder == '\0')
    g_clear_pointer (&probe->auto_folder, g_free);
  probe->auto_delay_ms = delay != NULL ? (guint) g_ascii_strtoull (delay, NULL, 10) : 1000;
  probe->work = g_array_new (FALSE, FALSE, sizeof (double));
  probe->layout = g_array_new (FALSE, FALSE, sizeof (double));
  probe->paint = g_array_new (FALSE, FALSE, sizeof (double));
  probe->intervals = g_array_new (FALSE, FALSE, sizeof (double));
  probe->cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_object_set_data_full (G_OBJECT (page), PROBE_KEY, probe, probe_free);
  probe->emission_hook_id = g_signal_add_emission_hook (
    g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0, items_changed_hook_cb, probe, NULL);
  probe->realize_id =
    g_signal_connect (message_view, "realize", G_CALLBACK (view_realize_cb), probe);
  hook_clock (probe);
  g_printerr ("kontor-mail-probe: attached mode=%s folder=%s\n", mode,
              probe->auto_folder != NULL ? probe->auto_folder : "");
}

void
kontor_mail_page_probe_folder_opened (GtkWidget *page, const char *folder_id)
{
  Probe *probe = probe_get (page);

  if (probe == NULL)
    return;
  scroll_stop (probe);
  g_free (probe->folder_id);
  probe->folder_id = g_strdup (folder_id);
  probe->opened_us = g_get_monotonic_time ();
  probe->swapped_us = 0;
  probe->announced_us = 0;
  probe->loaded_us = 0;
  probe->loaded_printed = FALSE;
  probe->waiting = TRUE;
  hook_clock (probe);
}

void
kontor_mail_page_probe_list_swapped (GtkWidget *page, GListModel *list)
{
  Probe *probe = probe_get (page);

  if (probe == NULL || !probe->waiting)
    return;
  probe->swapped_us = g_get_monotonic_time ();
  g_set_weak_pointer (&probe->list, list);
  hook_clock (probe);
}

static gboolean
open_auto_folder_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->auto_id = 0;
  g_printerr ("kontor-mail-probe: opening folder=%s\n", probe->auto_folder);
  kontor_mail_page_open_folder (KONTOR_MAIL_PAGE (probe->page), probe->auto_folder);
  return G_SOURCE_REMOVE;
}

void
kontor_mail_page_probe_list_loaded (GtkWidget *page)
{
  Probe *probe = probe_get (page);

  if (probe == NULL)
    return;
  if (probe->waiting && probe->loaded_us == 0)
    probe->loaded_us = g_get_monotonic_time ();
  if (probe->folder_id != NULL && !probe->loaded_printed)
    {
      GtkSelectionModel *model = gtk_list_view_get_model (probe->view);

      probe->loaded_printed = TRUE;
      g_printerr ("kontor-mail-probe: loaded folder=%s items=%u ms=%.1f\n", probe->folder_id,
                  model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0,
                  (g_get_monotonic_time () - probe->opened_us) / 1000.0);
      print_memory ("loaded");
    }
  /* After the first list, so that the page's own start (the unified Inbox) is done. */
  if (probe->auto_folder != NULL && !probe->auto_started)
    {
      probe->auto_started = TRUE;
      if (g_strcmp0 (probe->auto_folder, probe->folder_id) != 0)
        probe->auto_id = g_timeout_add (probe->auto_delay_ms, open_auto_folder_cb, probe);
    }
}

/* Composers ------------------------------------------------------------------------------ */

typedef struct
{
  char *kind;
  gint64 start_us;
  gulong handler;
} WindowTiming;

static void
window_timing_free (gpointer data)
{
  WindowTiming *timing = data;

  g_free (timing->kind);
  g_free (timing);
}

static void
window_timing_notify (gpointer data, GClosure *closure)
{
  window_timing_free (data);
}

static void
window_painted_cb (GdkFrameClock *clock, gpointer user_data)
{
  WindowTiming *timing = user_data;

  g_printerr ("kontor-mail-probe: composer kind=%s ms=%.1f\n", timing->kind,
              (g_get_monotonic_time () - timing->start_us) / 1000.0);
  g_signal_handler_disconnect (clock, timing->handler);
}

static void
window_realized_cb (GtkWidget *window, gpointer user_data)
{
  WindowTiming *timing = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  timing->handler = g_signal_connect_data (clock, "after-paint", G_CALLBACK (window_painted_cb),
                                           timing, window_timing_notify, 0);
}

/* Prints the time from @start_us (when the user asked) to the first frame @window drew:
 * "kontor-mail-probe: composer kind=KIND ms=N". */
void
kontor_mail_probe_time_window (GtkWindow *window, const char *kind, gint64 start_us)
{
  WindowTiming *timing;

  if (!probe_enabled () || gtk_widget_get_realized (GTK_WIDGET (window)))
    return;
  timing = g_new0 (WindowTiming, 1);
  timing->kind = g_strdup (kind);
  timing->start_us = start_us;
  g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), timing);
}
