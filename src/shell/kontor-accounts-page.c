/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-page.c: Preferences ▸ Accounts. One expander row per account of
 * the account service, with a switch per service, its settings to edit, a new
 * password, a connection check and removal; accounts another program manages are
 * shown, not changed. Every change goes through the account service, the same path
 * as Accounts1 on D-Bus.
 *
 * The service replaces its account objects on every change, so the rows are kept by
 * account id and updated in place: an open row, its focus and the results of a check
 * survive a change. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-accounts-page.h"

struct _KontorAccountsPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  GtkListBox *accounts_list;
  AdwActionRow *status_row;
  GtkImage *status_icon;
  GtkSpinner *status_spinner;
  GtkWindow *password_window;
  AdwWindowTitle *password_title;
  AdwComboRow *password_secret_row;
  GtkStringList *password_secret_names;
  AdwPasswordEntryRow *password_entry;
  GtkLabel *password_error_label;
  GtkWidget *password_save_button;
  GtkSpinner *password_spinner;

  /* Owned */
  KontorAccountService *service;
  GCancellable *cancellable;
  GHashTable *rows;   /* id -> AdwExpanderRow, owned by the list */
  GPtrArray *secrets; /* the choices of password_secret_row: "mail", "dav", "files" */
  char *password_account;
  GError *load_error;
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (KontorAccountsPage, kontor_accounts_page, ADW_TYPE_PREFERENCES_PAGE)

static const struct
{
  const char *id;
  const char *icon_name;
} service_info[] = {
  { "mail", "mail-unread-symbolic" },
  { "calendar", "x-office-calendar-symbolic" },
  { "contacts", "x-office-address-book-symbolic" },
  { "files", "folder-remote-symbolic" },
};

#define N_SERVICES G_N_ELEMENTS (service_info)

/* One account's row and what it holds. */
typedef struct
{
  KontorAccountsPage *page; /* borrowed: the page outlives its rows' callbacks' effects */
  char *id;
  KontorAccount *account;
  AdwExpanderRow *row;
  AdwAvatar *avatar;
  GtkWidget *service_rows[N_SERVICES];
  GtkSwitch *switches[N_SERVICES];
  GtkWidget *managed_row;
  GtkWidget *edit_row;
  GtkWidget *password_row;
  GtkWidget *check_row;
  GtkSpinner *check_spinner;
  GtkWidget *remove_row;
  GPtrArray *result_rows;
  GCancellable *cancellable;
  gboolean checking;
} AccountRow;

static const char *
service_title (const char *service)
{
  if (g_strcmp0 (service, "mail") == 0)
    return _ ("Mail");
  if (g_strcmp0 (service, "calendar") == 0)
    return _ ("Calendars");
  if (g_strcmp0 (service, "contacts") == 0)
    return _ ("Contacts");
  return _ ("Files");
}

static const char *
checked_service_title (const char *service)
{
  if (g_strcmp0 (service, "imap") == 0)
    return _ ("Incoming Mail (IMAP)");
  if (g_strcmp0 (service, "smtp") == 0)
    return _ ("Outgoing Mail (SMTP)");
  if (g_strcmp0 (service, "caldav") == 0)
    return _ ("Calendars (CalDAV)");
  if (g_strcmp0 (service, "carddav") == 0)
    return _ ("Contacts (CardDAV)");
  return _ ("Files (WebDAV)");
}

static const char *
describe_state (const char *state)
{
  if (g_strcmp0 (state, "connected") == 0)
    return C_ ("account state", "Connected");
  if (g_strcmp0 (state, "connecting") == 0)
    return C_ ("account state", "Connecting…");
  if (g_strcmp0 (state, "disconnected") == 0)
    return C_ ("account state", "Offline");
  if (g_strcmp0 (state, "disabled") == 0)
    return C_ ("account state", "Turned off");
  if (g_strcmp0 (state, "awaiting-credentials") == 0)
    return C_ ("account state", "Needs the password");
  if (g_strcmp0 (state, "ssl-failed") == 0)
    return C_ ("account state", "Certificate not trusted");
  return C_ ("account state", "Ready");
}

static void
add_toast (KontorAccountsPage *self, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
}

static AccountRow *
get_account_row (gpointer row)
{
  return g_object_get_data (G_OBJECT (row), "kontor-account-row");
}

static void
account_row_free (AccountRow *data)
{
  g_cancellable_cancel (data->cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->account);
  g_clear_pointer (&data->result_rows, g_ptr_array_unref);
  g_free (data->id);
  g_free (data);
}

/* ---- Status row: loading, no account, or no registry ---- */

static void
update_status (KontorAccountsPage *self)
{
  guint n_accounts = g_hash_table_size (self->rows);

  if (self->loaded)
    g_debug ("Accounts page shows %u accounts", n_accounts);
  gtk_spinner_set_spinning (self->status_spinner, !self->loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), !self->loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), !self->loaded || n_accounts == 0);

  if (!self->loaded)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                     _ ("Loading accounts…"));
      adw_action_row_set_subtitle (self->status_row, "");
    }
  else if (self->load_error != NULL)
    {
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                     _ ("Accounts are not available"));
      adw_action_row_set_subtitle (self->status_row, self->load_error->message);
    }
  else
    {
      gtk_image_set_from_icon_name (self->status_icon, "computer-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                     _ ("Kontor works on this computer alone"));
      adw_action_row_set_subtitle (self->status_row,
                                   _ ("Your calendar and address book stay on this computer."));
    }
}

/* ---- Turning services on and off ---- */

static void
sync_switch (AccountRow *data, guint i)
{
  gboolean enabled =
    g_strv_contains (kontor_account_get_services (data->account), service_info[i].id);

  /* Showing the account's state is no request to change it. */
  g_object_set_data (G_OBJECT (data->switches[i]), "kontor-syncing", GINT_TO_POINTER (TRUE));
  gtk_switch_set_active (data->switches[i], enabled);
  g_object_set_data (G_OBJECT (data->switches[i]), "kontor-syncing", NULL);
}

typedef struct
{
  GtkWidget *row;
  guint service;
} SetEnabled;

static void
set_enabled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SetEnabled *op = user_data;
  g_autoptr (GtkWidget) row = op->row;
  AccountRow *data = get_account_row (row);
  g_autoptr (GError) error = NULL;
  guint i = op->service;

  g_free (op);
  kontor_account_service_set_enabled_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (data->switches[i]), TRUE);
  if (error != NULL)
    {
      sync_switch (data, i);
      add_toast (data->page, error->message);
    }
}

static void
switch_active_cb (GtkSwitch *toggle, GParamSpec *pspec, AccountRow *data)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "kontor-service"));
  gboolean active = gtk_switch_get_active (toggle);
  SetEnabled *op;

  if (g_object_get_data (G_OBJECT (toggle), "kontor-syncing") != NULL ||
      active == g_strv_contains (kontor_account_get_services (data->account), service_info[i].id))
    return;

  op = g_new0 (SetEnabled, 1);
  op->row = g_object_ref (GTK_WIDGET (data->row));
  op->service = i;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  kontor_account_service_set_enabled_async (data->page->service, data->id, service_info[i].id,
                                            active, data->cancellable, set_enabled_cb, op);
}

/* ---- Check Connection ---- */

static GtkWidget *
new_result_row (const char *title, const char *message, gboolean ok)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon =
    gtk_image_new_from_icon_name (ok ? "object-select-symbolic" : "dialog-error-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ok ? _ ("Works") : _ ("Failed"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

/* Results go between Check Connection and Remove Account…, which only appends. */
static void
show_results (AccountRow *data, GPtrArray *rows)
{
  for (guint i = 0; i < data->result_rows->len; i++)
    adw_expander_row_remove (data->row, data->result_rows->pdata[i]);
  g_ptr_array_set_size (data->result_rows, 0);

  g_object_ref (data->remove_row);
  adw_expander_row_remove (data->row, data->remove_row);
  for (guint i = 0; i < rows->len; i++)
    {
      adw_expander_row_add_row (data->row, rows->pdata[i]);
      g_ptr_array_add (data->result_rows, rows->pdata[i]);
    }
  adw_expander_row_add_row (data->row, data->remove_row);
  g_object_unref (data->remove_row);
}

static void
verify_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) row = user_data;
  AccountRow *data = get_account_row (row);
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  verification =
    kontor_account_service_verify_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  data->checking = FALSE;
  gtk_spinner_set_spinning (data->check_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (data->check_spinner), FALSE);

  if (verification == NULL)
    g_ptr_array_add (
      rows, new_result_row (_ ("The connection could not be checked"), error->message, FALSE));
  else
    {
      g_auto (GStrv) services = kontor_verification_dup_services (verification);
      g_autoptr (GString) summary = g_string_new (NULL);

      for (guint i = 0; services[i] != NULL; i++)
        {
          const GError *failure = kontor_verification_get_error (verification, services[i]);

          g_string_append_printf (summary, "%s%s %s", i > 0 ? ", " : "", services[i],
                                  failure == NULL ? "ok" : "failed");
          g_ptr_array_add (
            rows, new_result_row (checked_service_title (services[i]),
                                  failure ? failure->message : _ ("Connected and signed in"),
                                  failure == NULL));
        }
      g_debug ("Connection check of %s: %s", data->id, summary->str);
    }
  show_results (data, rows);
}

static void
check_activated_cb (AdwActionRow *check_row, AccountRow *data)
{
  /* Not made insensitive: the row keeps the keyboard focus while it checks. */
  if (data->checking)
    return;
  data->checking = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (data->check_spinner), TRUE);
  gtk_spinner_set_spinning (data->check_spinner, TRUE);
  kontor_account_service_verify_async (data->page->service, data->id, data->cancellable, verify_cb,
                                       g_object_ref (data->row));
}

/* ---- Remove Account… ---- */

static void
remove_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) row = user_data;
  AccountRow *data = get_account_row (row);
  g_autoptr (GError) error = NULL;

  if (!kontor_account_service_remove_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error) &&
      !g_cancellable_is_cancelled (data->cancellable))
    {
      gtk_widget_set_sensitive (data->remove_row, TRUE);
      add_toast (data->page, error->message);
    }
}

static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, GtkWidget *row)
{
  AccountRow *data = get_account_row (row);

  if (g_strcmp0 (response, "remove") != 0)
    return;

  gtk_widget_set_sensitive (data->remove_row, FALSE);
  kontor_account_service_remove_async (data->page->service, data->id, data->cancellable, remove_cb,
                                       g_object_ref (row));
}

static void
remove_clicked_cb (GtkButton *button, AccountRow *data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (data->row));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (root), NULL,
                                   _ ("Its calendars, address books and stored passwords are "
                                      "removed from this computer. Nothing is deleted on the "
                                      "server."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _ ("Remove “%s”?"),
                                     kontor_account_get_display_name (data->account));
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Remove Account"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), data->row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Re-enter Password… ---- */

static void
password_busy (KontorAccountsPage *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->password_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->password_spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_secret_row), !busy);
  gtk_widget_set_sensitive (self->password_save_button,
                            !busy && *gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
}

static void
password_changed_cb (KontorAccountsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_entry), "error");
  password_busy (self, FALSE);
}

static void
set_password_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountsPage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_account_service_set_password_finish (KONTOR_ACCOUNT_SERVICE (source), result,
                                                   &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  password_busy (self, FALSE);
  if (error != NULL)
    {
      g_autofree char *name = g_dbus_error_encode_gerror (error);

      g_debug ("Changing the password failed (%s): %s", name, error->message);
      gtk_label_set_label (self->password_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->password_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }

  gtk_window_close (self->password_window);
  add_toast (self, _ ("The new password was saved"));
}

static void
password_save_cb (KontorAccountsPage *self)
{
  guint selected = adw_combo_row_get_selected (self->password_secret_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (*password == '\0' || selected >= self->secrets->len)
    return;
  password_busy (self, TRUE);
  gtk_widget_set_sensitive (self->password_save_button, FALSE);
  kontor_account_service_set_password_async (
    self->service, self->password_account, self->secrets->pdata[selected], password,
    self->cancellable, set_password_cb, g_object_ref (self));
}

static void
password_activated_cb (AdwActionRow *password_row, AccountRow *data)
{
  KontorAccountsPage *self = data->page;
  static const struct
  {
    const char *secret;
    const char *services[3];
  } secrets[] = {
    { "mail", { "mail", NULL } },
    { "dav", { "calendar", "contacts", NULL } },
    { "files", { "files", NULL } },
  };

  g_free (self->password_account);
  self->password_account = g_strdup (data->id);
  g_ptr_array_set_size (self->secrets, 0);
  gtk_string_list_splice (self->password_secret_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->password_secret_names)),
                          NULL);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    for (guint j = 0; secrets[i].services[j] != NULL; j++)
      if (kontor_account_has_service (data->account, secrets[i].services[j]))
        {
          g_ptr_array_add (self->secrets, (gpointer) secrets[i].secret);
          gtk_string_list_append (self->password_secret_names, i == 0 ? _ ("Mail")
                                                               : i == 1
                                                                 ? _ ("Calendars and Contacts")
                                                                 : _ ("Files"));
          break;
        }

  adw_window_title_set_subtitle (self->password_title,
                                 kontor_account_get_display_name (data->account));
  adw_combo_row_set_selected (self->password_secret_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->password_secret_row), self->secrets->len > 1);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  password_changed_cb (self);
  gtk_window_set_transient_for (self->password_window,
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (self->password_window);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

/* ---- Account rows ---- */

static GtkWidget *
new_activatable_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
account_row_update (AccountRow *data, KontorAccount *account)
{
  const char *name = kontor_account_get_display_name (account);
  const char *email = kontor_account_get_email (account);
  const char *state = describe_state (kontor_account_get_state (account));
  gboolean read_only = kontor_account_get_read_only (account);
  g_autofree char *subtitle = NULL;

  g_set_object (&data->account, account);

  if (read_only)
    subtitle = g_strdup_printf (_ ("%s · Managed by another program"), email);
  else if (g_strcmp0 (name, email) == 0)
    subtitle = g_strdup (state);
  else
    subtitle = g_strdup_printf ("%s · %s", email, state);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->row), name);
  adw_expander_row_set_subtitle (data->row, subtitle);
  adw_avatar_set_text (data->avatar, name);

  for (guint i = 0; i < N_SERVICES; i++)
    {
      gtk_widget_set_visible (data->service_rows[i],
                              kontor_account_has_service (account, service_info[i].id));
      gtk_widget_set_sensitive (GTK_WIDGET (data->switches[i]), !read_only);
      sync_switch (data, i);
    }
  gtk_widget_set_visible (data->managed_row, read_only);
  gtk_widget_set_visible (data->edit_row, !read_only);
  gtk_widget_set_visible (data->password_row, !read_only);
  gtk_widget_set_visible (data->remove_row, !read_only);
}

static GtkWidget *
create_account_row (KontorAccountsPage *self, KontorAccount *account)
{
  AccountRow *data = g_new0 (AccountRow, 1);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *button;

  data->page = self;
  data->id = g_strdup (kontor_account_get_id (account));
  data->row = ADW_EXPANDER_ROW (row);
  data->cancellable = g_cancellable_new ();
  data->result_rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (row), "kontor-account-row", data,
                          (GDestroyNotify) account_row_free);

  /* Names and messages are plain text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  data->avatar = ADW_AVATAR (adw_avatar_new (32, NULL, TRUE));
  adw_expander_row_add_prefix (data->row, GTK_WIDGET (data->avatar));

  for (guint i = 0; i < N_SERVICES; i++)
    {
      GtkWidget *service_row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (service_row),
                                     service_title (service_info[i].id));
      adw_action_row_set_icon_name (ADW_ACTION_ROW (service_row), service_info[i].icon_name);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      service_title (service_info[i].id), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (service_row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (service_row), toggle);
      g_object_set_data (G_OBJECT (toggle), "kontor-service", GUINT_TO_POINTER (i));
      g_signal_connect (toggle, "notify::active", G_CALLBACK (switch_active_cb), data);
      data->service_rows[i] = service_row;
      data->switches[i] = GTK_SWITCH (toggle);
      adw_expander_row_add_row (data->row, service_row);
    }

  data->managed_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->managed_row),
                                 _ ("Managed by another program"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (data->managed_row),
                               _ ("Change or remove it in Settings ▸ Online Accounts, or in the "
                                  "program that added it."));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (data->managed_row), "dialog-information-symbolic");
  adw_expander_row_add_row (data->row, data->managed_row);

  /* The application opens the assistant, as it does to add an account. */
  data->edit_row = new_activatable_row (_ ("Edit Settings…"), _ ("Name, user names and servers"));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (data->edit_row), "document-edit-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (data->edit_row), "app.edit-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (data->edit_row), "s", data->id);
  adw_expander_row_add_row (data->row, data->edit_row);

  data->password_row = new_activatable_row (_ ("Re-enter Password…"), NULL);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (data->password_row), "dialog-password-symbolic");
  g_signal_connect (data->password_row, "activated", G_CALLBACK (password_activated_cb), data);
  adw_expander_row_add_row (data->row, data->password_row);

  data->check_row =
    new_activatable_row (_ ("Check Connection"), _ ("Connects to every service and signs in"));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (data->check_row),
                                "network-transmit-receive-symbolic");
  data->check_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (data->check_spinner), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (data->check_row), GTK_WIDGET (data->check_spinner));
  g_signal_connect (data->check_row, "activated", G_CALLBACK (check_activated_cb), data);
  adw_expander_row_add_row (data->row, data->check_row);

  data->remove_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (data->remove_row), FALSE);
  gtk_widget_set_focusable (data->remove_row, FALSE);
  button = gtk_button_new_with_mnemonic (_ ("_Remove Account…"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (button, 12);
  gtk_widget_set_margin_bottom (button, 12);
  gtk_widget_add_css_class (button, "destructive-action");
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), data);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (data->remove_row), button);
  adw_expander_row_add_row (data->row, data->remove_row);

  account_row_update (data, account);
  return row;
}

/* Rows in the service's order, after the status row and before Add Account…. */
static void
sync_rows (KontorAccountsPage *self)
{
  GListModel *model = G_LIST_MODEL (self->service);
  guint n_items = g_list_model_get_n_items (model);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id, row;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (model, i);
      const char *account_id = kontor_account_get_id (account);
      int position = (int) i + 1;

      row = g_hash_table_lookup (self->rows, account_id);
      if (row == NULL)
        {
          row = create_account_row (self, account);
          g_hash_table_insert (self->rows, g_strdup (account_id), row);
          gtk_list_box_insert (self->accounts_list, row, position);
        }
      else
        {
          account_row_update (get_account_row (row), account);
          if (gtk_list_box_row_get_index (row) != position)
            {
              g_object_ref (row);
              gtk_list_box_remove (self->accounts_list, row);
              gtk_list_box_insert (self->accounts_list, row, position);
              g_object_unref (row);
            }
        }
      g_hash_table_add (seen, get_account_row (row)->id);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &id, &row))
    if (!g_hash_table_contains (seen, id))
      {
        g_cancellable_cancel (get_account_row (row)->cancellable);
        gtk_list_box_remove (self->accounts_list, row);
        g_hash_table_iter_remove (&iter);
      }

  update_status (self);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountsPage) self = user_data;
  g_autoptr (GError) error = NULL;

  kontor_account_service_load_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->loaded = TRUE;
  self->load_error = g_steal_pointer (&error);
  sync_rows (self);
}

static void
kontor_accounts_page_dispose (GObject *object)
{
  KontorAccountsPage *self = KONTOR_ACCOUNTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      gpointer row;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &row))
        g_cancellable_cancel (get_account_row (row)->cancellable);
    }
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  if (self->password_window != NULL)
    gtk_window_destroy (self->password_window);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_ACCOUNTS_PAGE);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (kontor_accounts_page_parent_class)->dispose (object);
}

static void
kontor_accounts_page_finalize (GObject *object)
{
  KontorAccountsPage *self = KONTOR_ACCOUNTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->secrets, g_ptr_array_unref);
  g_clear_pointer (&self->password_account, g_free);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (kontor_accounts_page_parent_class)->finalize (object);
}

static void
kontor_accounts_page_class_init (KontorAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_accounts_page_dispose;
  object_class->finalize = kontor_accounts_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kontor/Kontor/kontor-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_window);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_title);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_secret_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_secret_names);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_save_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountsPage, password_spinner);
  gtk_widget_class_bind_template_callback (widget_class, password_save_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
}

static void
kontor_accounts_page_init (KontorAccountsPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->secrets = g_ptr_array_new ();

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self->password_window), shortcuts);

  update_status (self);
}

KontorAccountsPage *
kontor_accounts_page_new (KontorAccountService *service)
{
  KontorAccountsPage *self = g_object_new (KONTOR_TYPE_ACCOUNTS_PAGE, NULL);

  kontor_accounts_page_set_service (self, service);
  return self;
}

/* The page shows nothing but "Loading" until it has a service. */
void
kontor_accounts_page_set_service (KontorAccountsPage *self, KontorAccountService *service)
{
  g_return_if_fail (KONTOR_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);
  g_signal_connect_object (service, "items-changed", G_CALLBACK (sync_rows), self,
                           G_CONNECT_SWAPPED);
  kontor_account_service_load_async (service, self->cancellable, loaded_cb, g_object_ref (self));
}
