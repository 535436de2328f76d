/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-first-run-bar.c: says that Kontor works on this computer alone, and offers
 * Add Account… and the demo workspace (app.add-account, app.open-demo), in the first
 * of three layouts that fits the window's width. Its close button is the window's
 * win.dismiss-first-run. The window makes it only once it knows there is no
 * account, after its first frame, so start-up never builds it. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include "kontor-first-run-bar.h"

struct _KontorFirstRunBar
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkWidget *demo_button_wide;
  GtkWidget *demo_button_medium;
  GtkWidget *demo_button_narrow;
};

G_DEFINE_FINAL_TYPE (KontorFirstRunBar, kontor_first_run_bar, ADW_TYPE_BIN)

static void
kontor_first_run_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KONTOR_TYPE_FIRST_RUN_BAR);

  G_OBJECT_CLASS (kontor_first_run_bar_parent_class)->dispose (object);
}

static void
kontor_first_run_bar_class_init (KontorFirstRunBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_first_run_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kontor/Kontor/kontor-first-run-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorFirstRunBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorFirstRunBar, demo_button_wide);
  gtk_widget_class_bind_template_child (widget_class, KontorFirstRunBar, demo_button_medium);
  gtk_widget_class_bind_template_child (widget_class, KontorFirstRunBar, demo_button_narrow);
}

static void
kontor_first_run_bar_init (KontorFirstRunBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Hidden: kontor_first_run_bar_set_revealed() slides it in. */
KontorFirstRunBar *
kontor_first_run_bar_new (void)
{
  return g_object_new (KONTOR_TYPE_FIRST_RUN_BAR, NULL);
}

gboolean
kontor_first_run_bar_get_revealed (KontorFirstRunBar *self)
{
  g_return_val_if_fail (KONTOR_IS_FIRST_RUN_BAR (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

void
kontor_first_run_bar_set_revealed (KontorFirstRunBar *self, gboolean revealed)
{
  g_return_if_fail (KONTOR_IS_FIRST_RUN_BAR (self));

  gtk_revealer_set_reveal_child (self->revealer, revealed);
}

/* The demo is offered only where its launcher is installed. */
void
kontor_first_run_bar_set_demo_visible (KontorFirstRunBar *self, gboolean visible)
{
  g_return_if_fail (KONTOR_IS_FIRST_RUN_BAR (self));

  gtk_widget_set_visible (self->demo_button_wide, visible);
  gtk_widget_set_visible (self->demo_button_medium, visible);
  gtk_widget_set_visible (self->demo_button_narrow, visible);
}
