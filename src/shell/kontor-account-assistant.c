/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant.c: adds an account in three steps: the e-mail address,
 * the servers Kontor looks up for it, and every setting shown for the user to confirm
 * or correct. Exactly the confirmed settings are handed to the account service, which
 * verifies each service before it stores anything. A failure keeps the user on the
 * settings, with the reason above them and the field it concerns marked.
 *
 * The same window edits an account: it opens on the settings step, filled with the
 * stored settings, and saves them through the same verification. The settings step
 * itself is kontor-account-assistant-form.c. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-assistant.h"
#include "kontor-account-assistant-private.h"

G_DEFINE_FINAL_TYPE (KontorAccountAssistant, kontor_account_assistant, ADW_TYPE_WINDOW)

enum
{
  ACCOUNT_ADDED,
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void save (KontorAccountAssistant *self);

static gboolean
is_editing (KontorAccountAssistant *self)
{
  return self->account_id != NULL;
}

void
kontor_account_assistant_update_actions (KontorAccountAssistant *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean next = FALSE;

  if (!self->busy && g_strcmp0 (step, "start") == 0)
    {
      g_autofree char *email = kontor_account_assistant_dup_field (self->start_email_row);

      next = kontor_email_is_valid (email);
    }
  else if (!self->busy && g_strcmp0 (step, "confirm") == 0)
    next = kontor_account_assistant_form_is_complete (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 !self->busy && !is_editing (self) &&
                                   g_strcmp0 (step, "confirm") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.manual",
                                 !self->busy && !is_editing (self));
}

/* ---- Steps ---- */

static void
show_step (KontorAccountAssistant *self, const char *step)
{
  gboolean confirm = g_strcmp0 (step, "confirm") == 0;
  gboolean progress = g_strcmp0 (step, "progress") == 0;
  /* Editing has no way back: the settings are its first step. */
  gboolean back = confirm && !is_editing (self);
  const char *title = is_editing (self) ? _ ("Edit Account")
                      : confirm         ? _ ("Confirm Settings")
                                        : _ ("Add Account");

  /* Back takes Cancel's place on the settings, so the title fits at 360 pixels;
   * Escape cancels everywhere. */
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_widget_set_visible (self->back_button, back);
  gtk_widget_set_visible (self->cancel_button, !back);
  if (!progress)
    gtk_button_set_label (self->next_button, is_editing (self) ? _ ("_Save")
                                             : confirm         ? _ ("_Add")
                                                               : _ ("_Next"));
  g_debug ("Assistant step: %s", step);
  gtk_spinner_set_spinning (self->progress_spinner, progress);
  /* Each caller focuses a field of the new step. A focus left in the hidden step would
   * have the window move it on by one at its next frame, past the field focused. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, step);
  kontor_account_assistant_update_actions (self);
}

static void
show_progress (KontorAccountAssistant *self, const char *title, const char *description)
{
  self->busy = TRUE;
  gtk_label_set_label (self->progress_title, title);
  gtk_label_set_label (self->progress_description, description);
  show_step (self, "progress");
}

/* The settings step, focused where the user goes on (see the form's focus). */
static void
show_form (KontorAccountAssistant *self)
{
  self->busy = FALSE;
  show_step (self, "confirm");
  kontor_account_assistant_focus_form (self);
}

/* ---- Discovery ---- */

static void
discover_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountAssistant) self = user_data;
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  settings =
    kontor_account_service_discover_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (settings == NULL)
    {
      g_autofree char *email = kontor_account_assistant_dup_field (self->start_email_row);

      /* Nothing found is no dead end: the settings can still be typed in. */
      g_debug ("Discovery for %s failed: %s", email, error->message);
      settings = kontor_account_settings_new (email);
      kontor_account_assistant_fill_form (self, settings);
      kontor_account_assistant_show_error (self, error);
    }
  else
    kontor_account_assistant_fill_form (self, settings);

  show_form (self);
}

static void
discover (KontorAccountAssistant *self)
{
  g_autofree char *email = kontor_account_assistant_dup_field (self->start_email_row);
  g_autofree char *name = kontor_account_assistant_dup_field (self->start_name_row);
  g_autofree char *domain = g_strdup (strrchr (email, '@') + 1);
  g_autofree char *description = NULL;
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  if (gtk_switch_get_active (self->opendesk_switch))
    g_variant_dict_insert (&options, "preset", "s", "opendesk");
  if (*name != '\0')
    g_variant_dict_insert (&options, "full-name", "s", name);

  description = g_strdup_printf (_ ("Asking %s where its mail, calendars, contacts and files "
                                    "are. No one else is asked."),
                                 domain);
  show_progress (self, _ ("Checking Your Servers…"), description);
  kontor_account_service_discover_async (self->service, email, g_variant_dict_end (&options),
                                         self->cancellable, discover_cb, g_object_ref (self));
}

/* ---- An untrusted certificate ---- */

static void
trust_response_cb (AdwMessageDialog *dialog, const char *response, KontorAccountAssistant *self)
{
  GTlsCertificate *certificate = g_object_get_data (G_OBJECT (dialog), "kontor-certificate");

  if (g_strcmp0 (response, "trust") == 0)
    {
      g_clear_pointer (&self->trusted_pem, g_free);
      g_object_get (certificate, "certificate-pem", &self->trusted_pem, NULL);
      save (self);
      return;
    }

  kontor_account_assistant_focus_form (self);
}

static void
ask_trust (KontorAccountAssistant *self, GTlsCertificate *certificate, const char *server)
{
  GtkWidget *dialog =
    kontor_account_assistant_new_trust_dialog (GTK_WINDOW (self), certificate, server);

  g_object_set_data_full (G_OBJECT (dialog), "kontor-certificate", g_object_ref (certificate),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (trust_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fetch_certificate_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountAssistant) self = user_data;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *pem = NULL;

  certificate = kontor_account_assistant_fetch_certificate_finish (result, &server, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->busy = FALSE;
  show_step (self, "confirm");
  if (certificate != NULL)
    g_object_get (certificate, "certificate-pem", &pem, NULL);

  if (certificate == NULL)
    {
      g_autoptr (GError) shown = NULL;

      g_debug ("Reading the certificate failed: %s", error->message);
      shown = g_error_new (KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED,
                           _ ("%s Kontor could not read the certificate again to show it to "
                              "you: %s"),
                           self->last_error->message, error->message);
      kontor_account_assistant_show_error (self, shown);
      kontor_account_assistant_focus_form (self);
    }
  else if (self->trusted_pem != NULL && g_strcmp0 (pem, self->trusted_pem) != 0)
    {
      g_autoptr (GError) shown = NULL;

      /* The service pins one accepted certificate for all of an account's servers. */
      shown = g_error_new (KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED,
                           _ ("%s The servers of this account present different certificates "
                              "that this computer does not trust. Ask your administrator for "
                              "certificates signed by a trusted authority."),
                           self->last_error->message);
      kontor_account_assistant_show_error (self, shown);
      kontor_account_assistant_focus_form (self);
    }
  else
    ask_trust (self, certificate, server);
}

/* The service names an untrusted certificate by its fingerprint; the certificate
 * itself, to show and to pin, is read from the servers (see
 * kontor-account-assistant-certificate.c). */
static void
read_certificate (KontorAccountAssistant *self, const GError *error)
{
  g_autoptr (GPtrArray) endpoints = kontor_account_assistant_dup_endpoints (self);

  gtk_label_set_label (self->progress_title, _ ("Reading the Certificate…"));
  kontor_account_assistant_fetch_certificate_async (endpoints, error->message, self->cancellable,
                                                    fetch_certificate_cb, g_object_ref (self));
}

/* ---- Saving ---- */

/* Adding and editing fail alike: the reason is shown above the settings, unless the
 * user can be asked to trust a certificate. */
static void
saving_failed (KontorAccountAssistant *self, const GError *error)
{
  g_autofree char *error_name = g_dbus_error_encode_gerror (error);

  g_debug ("%s the account failed (%s): %s", is_editing (self) ? "Changing" : "Adding", error_name,
           error->message);
  kontor_account_assistant_show_error (self, error);

  if (g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED))
    read_certificate (self, error);
  else
    show_form (self);
}

static void
add_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  id = kontor_account_service_add_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (id == NULL)
    {
      saving_failed (self, error);
      return;
    }

  g_debug ("Added the account %s", id);
  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
update_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean changed;

  changed = kontor_account_service_update_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!changed)
    {
      saving_failed (self, error);
      return;
    }

  g_debug ("Changed the account %s", self->account_id);
  g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, self->account_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Adds the account, or changes the edited one; the service verifies either first. */
static void
save (KontorAccountAssistant *self)
{
  g_autofree char *email = kontor_account_assistant_dup_field (self->email_row);
  g_autofree char *description = NULL;

  kontor_account_assistant_hide_error (self);
  if (is_editing (self))
    {
      description = g_strdup_printf (_ ("Connecting to each server and signing in as %s. "
                                        "Nothing is changed until every service works."),
                                     email);
      show_progress (self, _ ("Verifying…"), description);
      kontor_account_service_update_async (self->service, self->account_id,
                                           kontor_account_assistant_build_options (self),
                                           self->cancellable, update_cb, g_object_ref (self));
      return;
    }

  description = g_strdup_printf (_ ("Connecting to each server and signing in as %s. Nothing is "
                                    "stored until every service works."),
                                 email);
  show_progress (self, _ ("Verifying…"), description);
  kontor_account_service_add_async (
    self->service, email, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
    kontor_account_assistant_build_options (self), self->cancellable, add_cb, g_object_ref (self));
}

/* ---- Actions ---- */

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (widget);
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (step, "start") == 0)
    discover (self);
  else if (g_strcmp0 (step, "confirm") == 0)
    save (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (widget);
  GtkEditable *fields[][2] = {
    { GTK_EDITABLE (self->start_email_row), GTK_EDITABLE (self->email_row) },
    { GTK_EDITABLE (self->start_password_row), GTK_EDITABLE (self->password_row) },
    { GTK_EDITABLE (self->start_name_row), GTK_EDITABLE (self->name_row) },
  };

  /* Keep what was typed on the way back. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_editable_set_text (fields[i][0], gtk_editable_get_text (fields[i][1]));
  show_step (self, "start");
  gtk_widget_grab_focus (GTK_WIDGET (self->start_email_row));
}

static void
manual_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (widget);
  g_autofree char *email = kontor_account_assistant_dup_field (self->start_email_row);
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new (email);

  settings->origin = g_strdup ("manual");
  kontor_account_assistant_fill_form (self, settings);
  show_form (self);
}

static void
start_changed_cb (KontorAccountAssistant *self)
{
  kontor_account_assistant_update_actions (self);
}

/* ---- The object ---- */

/* Closing is how the user cancels. A window is destroyed by hiding it, while the
 * operations that run hold it alive: so they end here, and their callbacks see it. */
static void
kontor_account_assistant_unmap (GtkWidget *widget)
{
  g_cancellable_cancel (KONTOR_ACCOUNT_ASSISTANT (widget)->cancellable);

  GTK_WIDGET_CLASS (kontor_account_assistant_parent_class)->unmap (widget);
}

static void
kontor_account_assistant_dispose (GObject *object)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_ACCOUNT_ASSISTANT);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (kontor_account_assistant_parent_class)->dispose (object);
}

static void
kontor_account_assistant_finalize (GObject *object)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->marked, g_ptr_array_unref);
  g_clear_error (&self->last_error);
  g_clear_pointer (&self->trusted_pem, g_free);
  g_clear_pointer (&self->account_id, g_free);

  G_OBJECT_CLASS (kontor_account_assistant_parent_class)->finalize (object);
}

static void
kontor_account_assistant_class_init (KontorAccountAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_account_assistant_dispose;
  object_class->finalize = kontor_account_assistant_finalize;
  widget_class->unmap = kontor_account_assistant_unmap;

  /**
   * KontorAccountAssistant::account-added:
   * @id: the new account's id
   *
   * Emitted once the account was verified and stored, just before the window closes.
   */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * KontorAccountAssistant::account-changed:
   * @id: the edited account's id
   *
   * Emitted once the changed settings were verified and stored, just before the window
   * closes.
   */
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/kontor-account-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, start_email_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, start_password_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, start_name_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, opendesk_switch);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, progress_title);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, progress_description);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, confirm_scroll);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, error_box);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, origin_label);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, email_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, email_shown_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, password_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, username_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, dav_username_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_group);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_host_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_port_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_port_spin);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_security_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, smtp_group);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, smtp_host_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, smtp_port_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, smtp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, caldav_expander);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, carddav_expander);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, webdav_expander);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, caldav_url_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, carddav_url_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, webdav_url_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, passwords_expander);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, dav_password_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, files_password_row);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.manual", NULL, manual_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kontor_account_assistant_init (KontorAccountAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->marked = g_ptr_array_new ();
  g_signal_connect_swapped (self->start_email_row, "changed", G_CALLBACK (start_changed_cb), self);
  kontor_account_assistant_connect_form (self);
  show_step (self, "start");
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->start_email_row));
}

KontorAccountAssistant *
kontor_account_assistant_new (KontorAccountService *service)
{
  KontorAccountAssistant *self;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (service), NULL);

  self = g_object_new (KONTOR_TYPE_ACCOUNT_ASSISTANT, NULL);
  self->service = g_object_ref (service);
  return self;
}

/**
 * kontor_account_assistant_new_for_account:
 * @account: an account that is not read-only
 *
 * The assistant on its settings step, filled with @account's stored settings: the
 * user changes what is wrong and saves, or cancels. Its passwords are kept unless new
 * ones are typed.
 */
KontorAccountAssistant *
kontor_account_assistant_new_for_account (KontorAccountService *service, KontorAccount *account)
{
  KontorAccountAssistant *self;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (service), NULL);
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (account), NULL);

  self = kontor_account_assistant_new (service);
  self->account_id = g_strdup (kontor_account_get_id (account));
  kontor_account_assistant_fill_form (self, kontor_account_get_settings (account));
  show_step (self, "confirm");
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->display_name_row));
  return self;
}
