/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant-form.c: the assistant's Confirm Settings step, shared by
 * adding and editing an account. It is filled from a KontorAccountSettings and read
 * back as the options of the account service, every field included, so what is
 * stored is exactly what the user confirmed. A failure is shown above the fields with
 * the field it concerns marked, and a mark goes when that field is changed. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-assistant-private.h"

/* ---- Reading the fields ---- */

static gboolean
is_editing (KontorAccountAssistant *self)
{
  return self->account_id != NULL;
}

/**
 * kontor_account_assistant_dup_field:
 *
 * Returns: (transfer full): the text of @editable without surrounding spaces
 */
char *
kontor_account_assistant_dup_field (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static gboolean
is_filled (gpointer editable)
{
  g_autofree char *text = kontor_account_assistant_dup_field (editable);

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

/* What must be filled in before the settings can be verified. An account's stored
 * passwords stay when editing, and mail servers are only asked for where the account
 * has them. */
static gboolean
is_required (KontorAccountAssistant *self, gpointer row)
{
  if (is_editing (self) && row == (gpointer) self->password_row)
    return FALSE;
  return gtk_widget_is_visible (row);
}

gboolean
kontor_account_assistant_form_is_complete (KontorAccountAssistant *self)
{
  g_autofree char *email = kontor_account_assistant_dup_field (self->email_row);
  gpointer servers[] = { self->imap_host_row, self->smtp_host_row };
  AdwExpanderRow *expanders[] = { self->caldav_expander, self->carddav_expander,
                                  self->webdav_expander };
  AdwEntryRow *urls[] = { self->caldav_url_row, self->carddav_url_row, self->webdav_url_row };

  if (!kontor_email_is_valid (email))
    return FALSE;
  /* Passwords are taken as typed, spaces included. */
  if (is_required (self, self->password_row) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (is_required (self, servers[i]) && !is_filled (servers[i]))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    if (service_enabled (expanders[i]) && !is_filled (urls[i]))
      return FALSE;
  return TRUE;
}

/* ---- Showing a failure ---- */

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
  /* A hidden row, like the e-mail address of an edited account, cannot be corrected. */
  if (row == NULL || !gtk_widget_get_visible (row) || g_ptr_array_find (self->marked, row, NULL))
    return;
  g_debug ("Marked the field %s", gtk_buildable_get_buildable_id (GTK_BUILDABLE (row)));
  gtk_widget_add_css_class (row, "error");
  g_ptr_array_add (self->marked, row);
}

static void
unmark (KontorAccountAssistant *self, GtkWidget *row)
{
  if (g_ptr_array_remove (self->marked, row))
    gtk_widget_remove_css_class (row, "error");
}

void
kontor_account_assistant_hide_error (KontorAccountAssistant *self)
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
  g_autofree char *host = kontor_account_assistant_dup_field (host_row);

  return g_strdup_printf ("%s:%u", host, get_port (port_spin));
}

static char *
dup_url_server (AdwEntryRow *row)
{
  g_autofree char *url = kontor_account_assistant_dup_field (row);
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

void
kontor_account_assistant_show_error (KontorAccountAssistant *self, const GError *error)
{
  kontor_account_assistant_hide_error (self);
  self->last_error = g_error_copy (error);
  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (self->error_box, TRUE);
  mark_failure (self, error);
}

/* Where the user goes on: a marked field, a missing one, or the Add or Save button. */
void
kontor_account_assistant_focus_form (KontorAccountAssistant *self)
{
  gpointer required[] = { self->email_row, self->password_row, self->imap_host_row,
                          self->smtp_host_row };

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->confirm_scroll), 0);
  /* A port row is not focusable itself, its spin button is. */
  if (self->marked->len > 0)
    {
      if (!gtk_widget_grab_focus (self->marked->pdata[0]))
        gtk_widget_child_focus (self->marked->pdata[0], GTK_DIR_TAB_FORWARD);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (is_required (self, required[i]) && !is_filled (required[i]))
      {
        gtk_widget_grab_focus (required[i]);
        return;
      }
  gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

/* ---- Filling the form ---- */

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
describe_origin (KontorAccountAssistant *self, const KontorAccountSettings *settings)
{
  g_autofree char *domain = kontor_account_settings_dup_domain (settings);
  const char *origin = settings->origin != NULL ? settings->origin : "manual";

  if (is_editing (self))
    return g_strdup (_ ("Kontor checks the changed settings with each server before it saves "
                        "them. Leave the passwords empty to keep the current ones."));
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

/* An edited account keeps its address; its passwords are not shown, only replaced. */
static void
fill_account (KontorAccountAssistant *self, const KontorAccountSettings *settings)
{
  gpointer passwords[] = { self->password_row, self->dav_password_row, self->files_password_row };
  gboolean editing = is_editing (self);

  gtk_widget_set_visible (GTK_WIDGET (self->email_row), !editing);
  gtk_widget_set_visible (GTK_WIDGET (self->email_shown_row), editing);
  gtk_widget_set_visible (GTK_WIDGET (self->display_name_row), editing);
  if (!editing)
    return;

  adw_action_row_set_subtitle (self->email_shown_row, settings->email);
  set_text (self->display_name_row,
            settings->display_name != NULL ? settings->display_name : settings->email);
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    set_text (passwords[i], NULL);
  /* An entry row has no subtitle, and its placeholder would cover its title: the
   * text above the fields says that empty passwords are kept. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 _ ("New Password (Optional)"));
  gtk_widget_set_visible (self->imap_group, settings->imap_host != NULL);
  gtk_widget_set_visible (self->smtp_group, settings->smtp_host != NULL);
}

void
kontor_account_assistant_fill_form (KontorAccountAssistant *self,
                                    const KontorAccountSettings *settings)
{
  g_autofree char *origin = describe_origin (self, settings);
  g_autofree char *start_name = kontor_account_assistant_dup_field (self->start_name_row);

  self->filling = TRUE;
  kontor_account_assistant_hide_error (self);
  g_clear_pointer (&self->trusted_pem, g_free);

  set_text (self->email_row, settings->email);
  set_text (self->password_row, gtk_editable_get_text (GTK_EDITABLE (self->start_password_row)));
  set_text (self->name_row, settings->full_name != NULL ? settings->full_name : start_name);
  set_text (self->username_row, kontor_account_settings_get_login (settings));
  set_text (self->dav_username_row, kontor_account_settings_get_dav_login (settings));
  fill_account (self, settings);

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

/* ---- Reading the form as options ---- */

/* An edited account is given every text field, so a cleared one is cleared; a new
 * one leaves an empty field to the service's default. */
static void
insert_text (KontorAccountAssistant *self, GVariantDict *options, const char *key, gpointer row)
{
  g_autofree char *text = kontor_account_assistant_dup_field (row);

  if (*text != '\0' || is_editing (self))
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
  g_autofree char *url = kontor_account_assistant_dup_field (row);

  /* An empty URL leaves the service out. */
  g_variant_dict_insert (options, key, "s", service_enabled (expander) ? url : "");
}

static void
insert_server (KontorAccountAssistant *self,
               GVariantDict *options,
               const char *protocol,
               AdwEntryRow *host_row,
               GtkSpinButton *port_spin,
               AdwComboRow *security_row)
{
  g_autofree char *host_key = g_strconcat (protocol, "-host", NULL);
  g_autofree char *port_key = g_strconcat (protocol, "-port", NULL);
  g_autofree char *security_key = g_strconcat (protocol, "-security", NULL);
  g_autofree char *host = kontor_account_assistant_dup_field (host_row);

  /* Only an edited account without mail has no mail server here. */
  if (*host == '\0')
    return;
  g_variant_dict_insert (options, host_key, "s", host);
  g_variant_dict_insert (options, port_key, "u", (guint32) get_port (port_spin));
  g_variant_dict_insert (options, security_key, "s",
                         kontor_security_to_string (get_security (security_row)));
}

/**
 * kontor_account_assistant_build_options:
 *
 * Every field, so the stored settings are exactly the confirmed ones (the mail servers
 * given here also keep the service from looking them up again). Passwords are only
 * given where one was typed.
 *
 * Returns: (transfer floating): an a{sv} for kontor_account_service_add_async() or,
 *   with the new passwords in it, kontor_account_service_update_async()
 */
GVariant *
kontor_account_assistant_build_options (KontorAccountAssistant *self)
{
  GVariantDict options;

  g_variant_dict_init (&options, NULL);
  if (is_editing (self))
    {
      g_autofree char *name = kontor_account_assistant_dup_field (self->display_name_row);
      g_autofree char *email = kontor_account_assistant_dup_field (self->email_row);

      /* An account without a name is listed by its address. */
      g_variant_dict_insert (&options, "display-name", "s", *name != '\0' ? name : email);
      insert_password (&options, "password", self->password_row);
    }
  insert_text (self, &options, "full-name", self->name_row);
  insert_text (self, &options, "username", self->username_row);
  insert_server (self, &options, "imap", self->imap_host_row, self->imap_port_spin,
                 self->imap_security_row);
  insert_server (self, &options, "smtp", self->smtp_host_row, self->smtp_port_spin,
                 self->smtp_security_row);
  insert_service (&options, "caldav-url", self->caldav_expander, self->caldav_url_row);
  insert_service (&options, "carddav-url", self->carddav_expander, self->carddav_url_row);
  insert_service (&options, "webdav-url", self->webdav_expander, self->webdav_url_row);
  insert_text (self, &options, "dav-username", self->dav_username_row);
  insert_password (&options, "dav-password", self->dav_password_row);
  insert_password (&options, "files-password", self->files_password_row);
  if (self->trusted_pem != NULL)
    g_variant_dict_insert (&options, "trusted-certificate", "s", self->trusted_pem);
  return g_variant_dict_end (&options);
}

/**
 * kontor_account_assistant_dup_endpoints:
 *
 * Returns: (transfer full): the TLS servers of the form, for
 *   kontor_account_assistant_fetch_certificate_async()
 */
GPtrArray *
kontor_account_assistant_dup_endpoints (KontorAccountAssistant *self)
{
  GPtrArray *endpoints = kontor_account_assistant_new_endpoints ();
  g_autofree char *imap_host = kontor_account_assistant_dup_field (self->imap_host_row);
  g_autofree char *smtp_host = kontor_account_assistant_dup_field (self->smtp_host_row);
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
        g_autofree char *url = kontor_account_assistant_dup_field (urls[i]);

        kontor_account_assistant_add_url_endpoint (endpoints, url);
      }
  return endpoints;
}

/* ---- Field changes ---- */

static void
field_changed_cb (GtkWidget *row, KontorAccountAssistant *self)
{
  if (!self->filling)
    unmark (self, row);
  kontor_account_assistant_update_actions (self);
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
  kontor_account_assistant_update_actions (self);
}

void
kontor_account_assistant_connect_form (KontorAccountAssistant *self)
{
  gpointer fields[] = { self->email_row,        self->display_name_row,  self->password_row,
                        self->name_row,         self->username_row,      self->dav_username_row,
                        self->dav_password_row, self->files_password_row };
  gpointer servers[] = { self->imap_host_row, self->smtp_host_row, self->caldav_url_row,
                         self->carddav_url_row, self->webdav_url_row };
  AdwExpanderRow *expanders[] = { self->caldav_expander, self->carddav_expander,
                                  self->webdav_expander };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect (fields[i], "changed", G_CALLBACK (field_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    g_signal_connect (servers[i], "changed", G_CALLBACK (server_changed_cb), self);
  g_signal_connect (self->imap_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self);
  g_signal_connect (self->smtp_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self);
  /* Enter confirms from a port too (GTK 4.8 spin buttons have no activates-default). */
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
