/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant.c: adds an account in three steps: the e-mail address,
 * the servers Kontor looks up for it, and every setting shown for the user to confirm
 * or correct. Exactly the confirmed settings are handed to the account service, which
 * verifies each service before it stores anything. A failure keeps the user on the
 * settings, with the reason above them and the field it concerns marked. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-assistant.h"
#include "kontor-account-assistant-private.h"

struct _KontorAccountAssistant
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *next_button;
  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkStack *stack;
  AdwEntryRow *start_email_row;
  AdwPasswordEntryRow *start_password_row;
  AdwEntryRow *start_name_row;
  GtkSwitch *opendesk_switch;
  GtkSpinner *progress_spinner;
  GtkLabel *progress_title;
  GtkLabel *progress_description;
  GtkScrolledWindow *confirm_scroll;
  GtkWidget *error_box;
  GtkLabel *error_label;
  GtkLabel *origin_label;
  AdwEntryRow *email_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow *name_row;
  AdwEntryRow *username_row;
  AdwEntryRow *dav_username_row;
  AdwEntryRow *imap_host_row;
  AdwActionRow *imap_port_row;
  GtkSpinButton *imap_port_spin;
  AdwComboRow *imap_security_row;
  AdwEntryRow *smtp_host_row;
  AdwActionRow *smtp_port_row;
  GtkSpinButton *smtp_port_spin;
  AdwComboRow *smtp_security_row;
  AdwExpanderRow *caldav_expander;
  AdwExpanderRow *carddav_expander;
  AdwExpanderRow *webdav_expander;
  AdwEntryRow *caldav_url_row;
  AdwEntryRow *carddav_url_row;
  AdwEntryRow *webdav_url_row;
  AdwExpanderRow *passwords_expander;
  AdwPasswordEntryRow *dav_password_row;
  AdwPasswordEntryRow *files_password_row;

  /* Owned */
  KontorAccountService *service;
  GCancellable *cancellable;
  GPtrArray *marked;  /* rows marked with the last error (borrowed from the template) */
  GError *last_error; /* the failure shown, kept for the certificate question */
  char *trusted_pem;  /* the certificate the user accepted for these servers */

  KontorSecurity imap_security;
  KontorSecurity smtp_security;
  gboolean busy;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (KontorAccountAssistant, kontor_account_assistant, ADW_TYPE_WINDOW)

enum
{
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_add (KontorAccountAssistant *self);

/* ---- Reading the fields ---- */

static char *
dup_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static gboolean
is_filled (gpointer editable)
{
  g_autofree char *text = dup_text (editable);

  return *text != '\0';
}

static void
set_text (gpointer editable, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text != NULL ? text : "");
}

static guint16
get_port (GtkSpinButton *spin)
{
  gtk_spin_button_update (spin);
  return (guint16) gtk_spin_button_get_value_as_int (spin);
}

static KontorSecurity
get_security (AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected <= KONTOR_SECURITY_NONE ? (KontorSecurity) selected : KONTOR_SECURITY_TLS;
}

static gboolean
service_enabled (AdwExpanderRow *expander)
{
  return adw_expander_row_get_enable_expansion (expander);
}

/* What the Add button needs; everything else is optional or has a default. */
static gboolean
confirm_is_complete (KontorAccountAssistant *self)
{
  g_autofree char *email = dup_text (self->email_row);
  AdwExpanderRow *expanders[] = { self->caldav_expander, self->carddav_expander,
                                  self->webdav_expander };
  AdwEntryRow *urls[] = { self->caldav_url_row, self->carddav_url_row, self->webdav_url_row };

  if (!kontor_email_is_valid (email) ||
      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0' ||
      !is_filled (self->imap_host_row) || !is_filled (self->smtp_host_row))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    if (service_enabled (expanders[i]) && !is_filled (urls[i]))
      return FALSE;
  return TRUE;
}

static void
update_actions (KontorAccountAssistant *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean next = FALSE;

  if (!self->busy && g_strcmp0 (step, "start") == 0)
    {
      g_autofree char *email = dup_text (self->start_email_row);

      next = kontor_email_is_valid (email);
    }
  else if (!self->busy && g_strcmp0 (step, "confirm") == 0)
    next = confirm_is_complete (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 !self->busy && g_strcmp0 (step, "confirm") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.manual", !self->busy);
}

/* ---- Steps ---- */

static void
show_step (KontorAccountAssistant *self, const char *step)
{
  gboolean confirm = g_strcmp0 (step, "confirm") == 0;
  gboolean progress = g_strcmp0 (step, "progress") == 0;
  const char *title = confirm ? _ ("Confirm Settings") : _ ("Add Account");

  /* Back takes Cancel's place on the settings, so the title fits at 360 pixels;
   * Escape cancels everywhere. */
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_widget_set_visible (self->back_button, confirm);
  gtk_widget_set_visible (self->cancel_button, !confirm);
  if (!progress)
    gtk_button_set_label (self->next_button, confirm ? _ ("_Add") : _ ("_Next"));
  g_debug ("Assistant step: %s", step);
  gtk_spinner_set_spinning (self->progress_spinner, progress);
  gtk_stack_set_visible_child_name (self->stack, step);
  update_actions (self);
}

static void
show_progress (KontorAccountAssistant *self, const char *title, const char *description)
{
  self->busy = TRUE;
  gtk_label_set_label (self->progress_title, title);
  gtk_label_set_label (self->progress_description, description);
  show_step (self, "progress");
}

static void
clear_marks (KontorAccountAssistant *self)
{
  for (guint i = 0; i < self->marked->len; i++)
    gtk_widget_remove_css_class (self->marked->pdata[i], "error");
  g_ptr_array_set_size (self->marked, 0);
}

static void
mark (KontorAccountAssistant *self, gpointer row)
{
  if (row == NULL || g_ptr_array_find (self->marked, row, NULL))
    return;
  gtk_widget_add_css_class (row, "error");
  g_ptr_array_add (self->marked, row);
}

static void
hide_error (KontorAccountAssistant *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  g_clear_error (&self->last_error);
  clear_marks (self);
}

/* The rows of the service a failure names: its message says "host:port". */
typedef struct
{
  const char *server;
  gpointer host_row;
  gpointer port_row;
  gpointer security_row;
  gpointer user_row;
  gpointer password_row;
} ServiceRows;

static char *
dup_server (AdwEntryRow *host_row, GtkSpinButton *port_spin)
{
  g_autofree char *host = dup_text (host_row);

  return g_strdup_printf ("%s:%u", host, get_port (port_spin));
}

static char *
dup_url_server (AdwEntryRow *row)
{
  g_autofree char *url = dup_text (row);
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ? 80 : 443;
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

static void
mark_failure (KontorAccountAssistant *self, const GError *error)
{
  g_autofree char *imap = dup_server (self->imap_host_row, self->imap_port_spin);
  g_autofree char *smtp = dup_server (self->smtp_host_row, self->smtp_port_spin);
  g_autofree char *caldav = dup_url_server (self->caldav_url_row);
  g_autofree char *carddav = dup_url_server (self->carddav_url_row);
  g_autofree char *webdav = dup_url_server (self->webdav_url_row);
  gpointer password = self->password_row;
  gpointer dav_password = is_filled (self->dav_password_row) ? self->dav_password_row : password;
  gpointer files_password =
    is_filled (self->files_password_row) ? self->files_password_row : password;
  const ServiceRows services[] = {
    { imap, self->imap_host_row, self->imap_port_row, self->imap_security_row, self->username_row,
      password },
    { smtp, self->smtp_host_row, self->smtp_port_row, self->smtp_security_row, self->username_row,
      password },
    { caldav, self->caldav_url_row, self->caldav_url_row, self->caldav_url_row,
      self->dav_username_row, dav_password },
    { carddav, self->carddav_url_row, self->carddav_url_row, self->carddav_url_row,
      self->dav_username_row, dav_password },
    { webdav, self->webdav_url_row, self->webdav_url_row, self->webdav_url_row,
      self->dav_username_row, files_password },
  };
  const ServiceRows *failed = NULL;

  if (error->domain != KONTOR_ERROR)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (services) && failed == NULL; i++)
    if (services[i].server != NULL && strstr (error->message, services[i].server) != NULL)
      failed = &services[i];

  if (error->code == KONTOR_ERROR_INVALID_ARGUMENT)
    mark (self, self->email_row);
  /* No server named: a wrong password, or for discovery the address's domain. */
  else if (failed == NULL && error->code == KONTOR_ERROR_AUTH_FAILED)
    mark (self, self->password_row);
  else if (failed == NULL && error->code == KONTOR_ERROR_HOST_NOT_FOUND)
    mark (self, self->email_row);
  else if (failed == NULL)
    return;
  else if (error->code == KONTOR_ERROR_AUTH_FAILED)
    {
      mark (self, failed->password_row);
      mark (self, failed->user_row);
    }
  else if (error->code == KONTOR_ERROR_CONNECTION_REFUSED)
    mark (self, failed->port_row);
  else if (error->code == KONTOR_ERROR_TLS_REQUIRED)
    mark (self, failed->security_row);
  else
    mark (self, failed->host_row);
}

static void
show_error (KontorAccountAssistant *self, const GError *error)
{
  hide_error (self);
  self->last_error = g_error_copy (error);
  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (self->error_box, TRUE);
  mark_failure (self, error);
}

/* Where the user goes on: a marked field, a missing one, or Add. */
static void
focus_next_field (KontorAccountAssistant *self)
{
  gpointer required[] = { self->email_row, self->password_row, self->imap_host_row,
                          self->smtp_host_row };

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->confirm_scroll), 0);
  if (self->marked->len > 0)
    {
      gtk_widget_grab_focus (self->marked->pdata[0]);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!is_filled (required[i]))
      {
        gtk_widget_grab_focus (required[i]);
        return;
      }
  gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

/* ---- Filling the settings step ---- */

static guint16
default_port (gboolean imap, KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_TLS:
        return imap ? 993 : 465;
      case KONTOR_SECURITY_STARTTLS:
        return imap ? 143 : 587;
      case KONTOR_SECURITY_NONE:
      default:
        return imap ? 143 : 25;
    }
}

static char *
describe_origin (const KontorAccountSettings *settings)
{
  g_autofree char *domain = kontor_account_settings_dup_domain (settings);
  const char *origin = settings->origin != NULL ? settings->origin : "manual";

  if (domain == NULL || g_strcmp0 (origin, "manual") == 0)
    return g_strdup (_ ("Enter the settings your provider or administrator gave you."));
  if (g_strcmp0 (origin, "opendesk") == 0)
    return g_strdup_printf (_ ("These are the openDesk servers of %s. Check the settings and "
                               "correct what is wrong."),
                            domain);
  if (g_strcmp0 (origin, "autoconfig") == 0)
    return g_strdup_printf (_ ("These settings are published by %s. Check them and correct what "
                               "is wrong."),
                            domain);
  if (g_strcmp0 (origin, "srv") == 0 || g_strcmp0 (origin, "well-known") == 0)
    return g_strdup_printf (_ ("These servers are named by %s. Check the settings and correct "
                               "what is wrong."),
                            domain);
  return g_strdup_printf (_ ("%s publishes no settings, so these are a guess. Check them with "
                             "your provider or administrator."),
                          domain);
}

static void
fill_service (AdwExpanderRow *expander, AdwEntryRow *row, const char *url)
{
  set_text (row, url);
  adw_expander_row_set_enable_expansion (expander, url != NULL && *url != '\0');
  adw_expander_row_set_expanded (expander, url != NULL && *url != '\0');
}

static void
fill_confirm (KontorAccountAssistant *self, const KontorAccountSettings *settings)
{
  g_autofree char *origin = describe_origin (settings);
  g_autofree char *start_name = dup_text (self->start_name_row);

  self->filling = TRUE;
  hide_error (self);
  g_clear_pointer (&self->trusted_pem, g_free);

  set_text (self->email_row, settings->email);
  set_text (self->password_row, gtk_editable_get_text (GTK_EDITABLE (self->start_password_row)));
  set_text (self->name_row, settings->full_name != NULL ? settings->full_name : start_name);
  set_text (self->username_row, kontor_account_settings_get_login (settings));
  set_text (self->dav_username_row, kontor_account_settings_get_dav_login (settings));

  self->imap_security = settings->imap_security;
  self->smtp_security = settings->smtp_security;
  set_text (self->imap_host_row, settings->imap_host);
  gtk_spin_button_set_value (self->imap_port_spin, settings->imap_port);
  adw_combo_row_set_selected (self->imap_security_row, settings->imap_security);
  set_text (self->smtp_host_row, settings->smtp_host);
  gtk_spin_button_set_value (self->smtp_port_spin, settings->smtp_port);
  adw_combo_row_set_selected (self->smtp_security_row, settings->smtp_security);

  fill_service (self->caldav_expander, self->caldav_url_row, settings->caldav_url);
  fill_service (self->carddav_expander, self->carddav_url_row, settings->carddav_url);
  fill_service (self->webdav_expander, self->webdav_url_row, settings->webdav_url);
  /* openDesk has an app password for groupware and another one for files. */
  adw_expander_row_set_expanded (self->passwords_expander,
                                 g_strcmp0 (settings->origin, "opendesk") == 0);

  gtk_label_set_label (self->origin_label, origin);
  self->filling = FALSE;
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

  self->busy = FALSE;
  if (settings == NULL)
    {
      g_autofree char *email = dup_text (self->start_email_row);

      /* Nothing found is no dead end: the settings can still be typed in. */
      g_debug ("Discovery for %s failed: %s", email, error->message);
      settings = kontor_account_settings_new (email);
      fill_confirm (self, settings);
      show_error (self, error);
    }
  else
    fill_confirm (self, settings);

  show_step (self, "confirm");
  focus_next_field (self);
}

static void
discover (KontorAccountAssistant *self)
{
  g_autofree char *email = dup_text (self->start_email_row);
  g_autofree char *name = dup_text (self->start_name_row);
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

/* ---- Adding ---- */

static void
insert_text (GVariantDict *options, const char *key, gpointer editable)
{
  g_autofree char *text = dup_text (editable);

  if (*text != '\0')
    g_variant_dict_insert (options, key, "s", text);
}

static void
insert_password (GVariantDict *options, const char *key, gpointer editable)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (editable));

  if (*text != '\0')
    g_variant_dict_insert (options, key, "s", text);
}

static void
insert_service (GVariantDict *options, const char *key, AdwExpanderRow *expander, AdwEntryRow *row)
{
  g_autofree char *url = dup_text (row);

  /* An empty URL leaves the service out. */
  g_variant_dict_insert (options, key, "s", service_enabled (expander) ? url : "");
}

/* Every field, so the stored settings are exactly the confirmed ones (the mail
 * servers given here also keep the service from looking them up again). */
static GVariant *
build_options (KontorAccountAssistant *self)
{
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  insert_text (&options, "full-name", self->name_row);
  insert_text (&options, "username", self->username_row);
  insert_text (&options, "imap-host", self->imap_host_row);
  g_variant_dict_insert (&options, "imap-port", "u", (guint32) get_port (self->imap_port_spin));
  g_variant_dict_insert (&options, "imap-security", "s",
                         kontor_security_to_string (get_security (self->imap_security_row)));
  insert_text (&options, "smtp-host", self->smtp_host_row);
  g_variant_dict_insert (&options, "smtp-port", "u", (guint32) get_port (self->smtp_port_spin));
  g_variant_dict_insert (&options, "smtp-security", "s",
                         kontor_security_to_string (get_security (self->smtp_security_row)));
  insert_service (&options, "caldav-url", self->caldav_expander, self->caldav_url_row);
  insert_service (&options, "carddav-url", self->carddav_expander, self->carddav_url_row);
  insert_service (&options, "webdav-url", self->webdav_expander, self->webdav_url_row);
  insert_text (&options, "dav-username", self->dav_username_row);
  insert_password (&options, "dav-password", self->dav_password_row);
  insert_password (&options, "files-password", self->files_password_row);
  if (self->trusted_pem != NULL)
    g_variant_dict_insert (&options, "trusted-certificate", "s", self->trusted_pem);
  return g_variant_dict_end (&options);
}

static void
trust_response_cb (AdwMessageDialog *dialog, const char *response, KontorAccountAssistant *self)
{
  GTlsCertificate *certificate = g_object_get_data (G_OBJECT (dialog), "kontor-certificate");

  if (g_strcmp0 (response, "trust") == 0)
    {
      g_clear_pointer (&self->trusted_pem, g_free);
      g_object_get (certificate, "certificate-pem", &self->trusted_pem, NULL);
      start_add (self);
      return;
    }

  focus_next_field (self);
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
      show_error (self, shown);
      focus_next_field (self);
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
      show_error (self, shown);
      focus_next_field (self);
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
  g_autoptr (GPtrArray) endpoints = kontor_account_assistant_new_endpoints ();
  g_autofree char *imap_host = dup_text (self->imap_host_row);
  g_autofree char *smtp_host = dup_text (self->smtp_host_row);
  AdwExpanderRow *expanders[] = { self->caldav_expander, self->carddav_expander,
                                  self->webdav_expander };
  AdwEntryRow *urls[] = { self->caldav_url_row, self->carddav_url_row, self->webdav_url_row };

  /* In the order the service checks them, which is the order it reports in. */
  kontor_account_assistant_add_endpoint (endpoints, "imap", imap_host,
                                         get_port (self->imap_port_spin),
                                         get_security (self->imap_security_row));
  kontor_account_assistant_add_endpoint (endpoints, "smtp", smtp_host,
                                         get_port (self->smtp_port_spin),
                                         get_security (self->smtp_security_row));
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    if (service_enabled (expanders[i]))
      {
        g_autofree char *url = dup_text (urls[i]);

        kontor_account_assistant_add_url_endpoint (endpoints, url);
      }

  gtk_label_set_label (self->progress_title, _ ("Reading the Certificate…"));
  kontor_account_assistant_fetch_certificate_async (endpoints, error->message, self->cancellable,
                                                    fetch_certificate_cb, g_object_ref (self));
}

static void
add_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *error_name = NULL;
  g_autofree char *id = NULL;

  id = kontor_account_service_add_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (id != NULL)
    {
      g_debug ("Added the account %s", id);
      g_signal_emit (self, signals[ACCOUNT_ADDED], 0, id);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  error_name = g_dbus_error_encode_gerror (error);
  g_debug ("Adding the account failed (%s): %s", error_name, error->message);
  show_error (self, error);

  if (g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED))
    read_certificate (self, error);
  else
    {
      self->busy = FALSE;
      show_step (self, "confirm");
      focus_next_field (self);
    }
}

static void
start_add (KontorAccountAssistant *self)
{
  g_autofree char *email = dup_text (self->email_row);
  g_autofree char *description = NULL;

  hide_error (self);
  description = g_strdup_printf (_ ("Connecting to each server and signing in as %s. Nothing is "
                                    "stored until every service works."),
                                 email);
  show_progress (self, _ ("Verifying…"), description);
  kontor_account_service_add_async (
    self->service, email, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
    build_options (self), self->cancellable, add_cb, g_object_ref (self));
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
    start_add (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (widget);

  /* Keep what was typed on the way back. */
  set_text (self->start_email_row, gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  set_text (self->start_password_row, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  set_text (self->start_name_row, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  show_step (self, "start");
  gtk_widget_grab_focus (GTK_WIDGET (self->start_email_row));
}

static void
manual_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorAccountAssistant *self = KONTOR_ACCOUNT_ASSISTANT (widget);
  g_autofree char *email = dup_text (self->start_email_row);
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new (email);

  settings->origin = g_strdup ("manual");
  fill_confirm (self, settings);
  show_step (self, "confirm");
  focus_next_field (self);
}

/* ---- Field changes ---- */

static void
start_changed_cb (KontorAccountAssistant *self)
{
  update_actions (self);
}

static void
unmark (KontorAccountAssistant *self, GtkWidget *row)
{
  if (g_ptr_array_remove (self->marked, row))
    gtk_widget_remove_css_class (row, "error");
}

static void
field_changed_cb (GtkWidget *row, KontorAccountAssistant *self)
{
  if (!self->filling)
    unmark (self, row);
  update_actions (self);
}

/* A changed server no longer is the one whose certificate the user accepted. */
static void
server_changed_cb (GtkWidget *row, KontorAccountAssistant *self)
{
  if (!self->filling)
    g_clear_pointer (&self->trusted_pem, g_free);
  field_changed_cb (row, self);
}

static void
port_changed_cb (GtkSpinButton *spin, KontorAccountAssistant *self)
{
  server_changed_cb (spin == self->imap_port_spin ? GTK_WIDGET (self->imap_port_row)
                                                  : GTK_WIDGET (self->smtp_port_row),
                     self);
}

static void
security_changed_cb (AdwComboRow *row, GParamSpec *pspec, KontorAccountAssistant *self)
{
  gboolean imap = row == self->imap_security_row;
  GtkSpinButton *spin = imap ? self->imap_port_spin : self->smtp_port_spin;
  KontorSecurity *previous = imap ? &self->imap_security : &self->smtp_security;
  KontorSecurity security = get_security (row);

  /* A port left at the usual one follows the security setting. */
  if (!self->filling && get_port (spin) == default_port (imap, *previous))
    gtk_spin_button_set_value (spin, default_port (imap, security));
  *previous = security;
  server_changed_cb (GTK_WIDGET (row), self);
}

static void
service_toggled_cb (AdwExpanderRow *expander, GParamSpec *pspec, KontorAccountAssistant *self)
{
  AdwEntryRow *row = expander == self->caldav_expander    ? self->caldav_url_row
                     : expander == self->carddav_expander ? self->carddav_url_row
                                                          : self->webdav_url_row;

  if (!self->filling && service_enabled (expander))
    {
      adw_expander_row_set_expanded (expander, TRUE);
      if (!is_filled (row))
        gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  unmark (self, GTK_WIDGET (row));
  update_actions (self);
}

static void
connect_fields (KontorAccountAssistant *self)
{
  gpointer fields[] = { self->email_row,         self->password_row,     self->name_row,
                        self->username_row,      self->dav_username_row, self->dav_password_row,
                        self->files_password_row };
  gpointer servers[] = { self->imap_host_row, self->smtp_host_row, self->caldav_url_row,
                         self->carddav_url_row, self->webdav_url_row };
  AdwExpanderRow *expanders[] = { self->caldav_expander, self->carddav_expander,
                                  self->webdav_expander };

  g_signal_connect_swapped (self->start_email_row, "changed", G_CALLBACK (start_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect (fields[i], "changed", G_CALLBACK (field_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    g_signal_connect (servers[i], "changed", G_CALLBACK (server_changed_cb), self);
  g_signal_connect (self->imap_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self);
  g_signal_connect (self->smtp_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self);
  /* Enter adds from a port too (GTK 4.8 spin buttons have no activates-default). */
  for (guint i = 0; i < 2; i++)
    {
      GtkEditable *text = gtk_editable_get_delegate (
        GTK_EDITABLE (i == 0 ? self->imap_port_spin : self->smtp_port_spin));

      if (GTK_IS_TEXT (text))
        gtk_text_set_activates_default (GTK_TEXT (text), TRUE);
    }
  g_signal_connect (self->imap_security_row, "notify::selected", G_CALLBACK (security_changed_cb),
                    self);
  g_signal_connect (self->smtp_security_row, "notify::selected", G_CALLBACK (security_changed_cb),
                    self);
  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    g_signal_connect (expanders[i], "notify::enable-expansion", G_CALLBACK (service_toggled_cb),
                      self);
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
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, password_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, username_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, dav_username_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_host_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_port_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_port_spin);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountAssistant, imap_security_row);
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
  connect_fields (self);
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
