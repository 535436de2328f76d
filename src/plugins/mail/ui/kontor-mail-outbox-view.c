/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-view.c: the Outbox as the Mail window shows it: one row per
 * message not sent yet, rebuilt whenever the Outbox changes (it holds a handful).
 * Send Now and Cancel run in the engine's workers (they write the entry's state
 * file); Cancel asks first, since the message is gone for good; Edit is the
 * application's "mail-edit-outbox", which opens the message in a composer. Failures
 * are told by a toast of the page. "n-messages" and "failing" are for the sidebar. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-outbox-row.h"
#include "kontor-mail-outbox-view.h"
#include "kontor-mail-outbox.h"
#include "kontor-mail-page.h"

struct _KontorMailOutboxView
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkStack *stack;
  GtkLabel *summary_label;
  GtkListBox *list_box;

  /* Owned */
  KontorMailEngine *engine;
  GCancellable *cancellable;
  guint tick_id; /* when a hold or the next attempt is due: the text changes */
  guint n_messages;
  gboolean failing;
};

G_DEFINE_FINAL_TYPE (KontorMailOutboxView, kontor_mail_outbox_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_N_MESSAGES,
  PROP_FAILING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
report (KontorMailOutboxView *self, const char *text)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), KONTOR_TYPE_MAIL_PAGE);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_message ("%s", text);
  if (page != NULL)
    kontor_mail_page_add_toast (KONTOR_MAIL_PAGE (page), adw_toast_new (escaped));
}

static void refresh (KontorMailOutboxView *self);

static gboolean
tick_cb (gpointer data)
{
  KontorMailOutboxView *self = data;

  self->tick_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* The rows say "on hold until" and "next try at": refreshed once that time passed. */
static void
schedule_tick (KontorMailOutboxView *self, GVariant *entries)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, next = G_MAXINT64;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  for (gsize i = 0; entries != NULL && i < g_variant_n_children (entries); i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (entries, i);
      const char *const keys[] = { "send-after", "next-attempt" };

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          gint64 time = 0;

          if (g_variant_lookup (entry, keys[k], "x", &time) && time > now)
            next = MIN (next, time);
        }
    }
  if (next != G_MAXINT64)
    self->tick_id = g_timeout_add_seconds ((guint) (next - now + 1), tick_cb, self);
}

static void
refresh (KontorMailOutboxView *self)
{
  KontorMailOutbox *outbox = kontor_mail_engine_get_outbox (self->engine);
  g_autoptr (GVariant) entries = outbox != NULL ? kontor_mail_outbox_list (outbox) : NULL;
  gboolean offline = kontor_mail_engine_get_work_offline (self->engine);
  guint n = entries != NULL ? g_variant_n_children (entries) : 0, n_failing = 0;
  GtkWidget *child;
  g_autofree char *summary = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (entries, i);

      gtk_list_box_append (self->list_box, kontor_mail_outbox_row_new (entry, offline));
      n_failing += kontor_mail_outbox_entry_is_failing (entry);
    }
  if (n_failing > 0)
    summary = g_strdup_printf (ngettext ("%u message could not be sent. Messages that failed for "
                                         "a passing reason are tried again by themselves.",
                                         "%u messages could not be sent. Messages that failed for "
                                         "a passing reason are tried again by themselves.",
                                         n_failing),
                               n_failing);
  else
    summary = g_strdup (_ ("These messages are kept on this computer until the server took them, "
                           "even when Kontor is closed meanwhile."));
  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  schedule_tick (self, entries);

  if (self->n_messages != n)
    {
      self->n_messages = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MESSAGES]);
    }
  if (self->failing != (n_failing > 0))
    {
      self->failing = n_failing > 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING]);
    }
}

/* Actions ---------------------------------------------------------------------------- */

static gpointer
retry_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_outbox_retry_sync (kontor_mail_engine_get_outbox (engine), data, error)
           ? GINT_TO_POINTER (TRUE)
           : NULL;
}

static gpointer
cancel_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_outbox_cancel_sync (kontor_mail_engine_get_outbox (engine), data, error)
           ? GINT_TO_POINTER (TRUE)
           : NULL;
}

static void
job_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailOutboxView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error) == NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    report (self, error->message);
}

static void
run (KontorMailOutboxView *self, KontorMailEngineJob job, const char *id)
{
  kontor_mail_engine_run_async (self->engine, job, g_strdup (id), g_free, NULL, self->cancellable,
                                job_done_cb, g_object_ref (self));
}

static void
send_now_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  run (KONTOR_MAIL_OUTBOX_VIEW (widget), retry_job, g_variant_get_string (parameter, NULL));
}

static void
edit_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  gtk_widget_activate_action_variant (widget, "app.mail-edit-outbox", parameter);
}

static void
cancel_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailOutboxView *self)
{
  if (g_str_equal (response, "delete"))
    run (self, cancel_job, g_object_get_data (G_OBJECT (dialog), "id"));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailOutboxView *self = KONTOR_MAIL_OUTBOX_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Delete Unsent Message?"),
    _ ("The message is removed from the Outbox and will not be sent. Use Edit instead to "
       "change it.")));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Keep"), "delete", _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "id", g_variant_dup_string (parameter, NULL), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The type -------------------------------------------------------------------------- */

guint
kontor_mail_outbox_view_get_n_messages (KontorMailOutboxView *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX_VIEW (self), 0);
  return self->n_messages;
}

gboolean
kontor_mail_outbox_view_get_failing (KontorMailOutboxView *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX_VIEW (self), FALSE);
  return self->failing;
}

static void
kontor_mail_outbox_view_dispose (GObject *object)
{
  KontorMailOutboxView *self = KONTOR_MAIL_OUTBOX_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      if (kontor_mail_engine_get_outbox (self->engine) != NULL)
        g_signal_handlers_disconnect_by_data (kontor_mail_engine_get_outbox (self->engine), self);
    }
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_MAIL_OUTBOX_VIEW);

  G_OBJECT_CLASS (kontor_mail_outbox_view_parent_class)->dispose (object);
}

static void
kontor_mail_outbox_view_finalize (GObject *object)
{
  KontorMailOutboxView *self = KONTOR_MAIL_OUTBOX_VIEW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kontor_mail_outbox_view_parent_class)->finalize (object);
}

static void
kontor_mail_outbox_view_get_property (GObject *object,
                                      guint prop_id,
                                      GValue *value,
                                      GParamSpec *pspec)
{
  KontorMailOutboxView *self = KONTOR_MAIL_OUTBOX_VIEW (object);

  switch (prop_id)
    {
      case PROP_N_MESSAGES:
        g_value_set_uint (value, self->n_messages);
        break;
      case PROP_FAILING:
        g_value_set_boolean (value, self->failing);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_outbox_view_class_init (KontorMailOutboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_mail_outbox_view_dispose;
  object_class->finalize = kontor_mail_outbox_view_finalize;
  object_class->get_property = kontor_mail_outbox_view_get_property;

  /* How many messages the Outbox holds. */
  properties[PROP_N_MESSAGES] =
    g_param_spec_uint ("n-messages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether a message failed, or its last attempt did. */
  properties[PROP_FAILING] =
    g_param_spec_boolean ("failing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/mail/kontor-mail-outbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorMailOutboxView, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorMailOutboxView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailOutboxView, list_box);
  gtk_widget_class_install_action (widget_class, "outbox.send-now", "s", send_now_action);
  gtk_widget_class_install_action (widget_class, "outbox.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "outbox.cancel", "s", cancel_action);
}

static void
kontor_mail_outbox_view_init (KontorMailOutboxView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

KontorMailOutboxView *
kontor_mail_outbox_view_new (KontorMailEngine *engine)
{
  KontorMailOutboxView *self = g_object_new (KONTOR_TYPE_MAIL_OUTBOX_VIEW, NULL);

  self->engine = g_object_ref (engine);
  if (kontor_mail_engine_get_outbox (engine) != NULL)
    g_signal_connect_swapped (kontor_mail_engine_get_outbox (engine), "changed",
                              G_CALLBACK (refresh), self);
  g_signal_connect_swapped (engine, "notify::work-offline", G_CALLBACK (refresh), self);
  refresh (self);
  return self;
}
