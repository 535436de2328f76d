/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-baseline.c: the floor for tests/bench/startup, a minimal AdwApplication window. */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <adwaita.h>

/* Kontor's default window size (the window-width and window-height settings). */
#define WINDOW_WIDTH  1100
#define WINDOW_HEIGHT 720

/* Reported like Kontor's KONTOR_REPORT_FIRST_FRAME: the first after-paint of the
 * frame clock once the window is mapped. The renderer line tells the benchmark
 * which renderer GTK picked when GSK_RENDERER is unset. */
static void
after_first_paint_cb (GdkFrameClock *clock, GtkWindow *window)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_print ("renderer %s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  g_signal_handlers_disconnect_by_func (clock, after_first_paint_cb, window);
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
map_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_first_paint_cb), window);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window;
  GtkWidget *box;

  window = GTK_WIDGET (gtk_application_get_active_window (app));
  if (window == NULL)
    {
      window = adw_application_window_new (app);
      gtk_window_set_title (GTK_WINDOW (window), "Baseline");
      gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

      g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
    }
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (AdwApplication) app = NULL;

  app = adw_application_new ("io.github.kontor.BenchBaseline", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
