/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-application-accounts.c: the application's side of the accounts. Accounts1
 * is on the bus from the start and made on its first call (KontorLazyInterface); the
 * assistant and Preferences ▸ Accounts are in libkontor-accounts-ui.so, opened the
 * first time they are needed: app.add-account, app.edit-account, Preferences, or the
 * window after its first frame. Start-up maps none of the account code, nor EDS. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-application-private.h"
#include "kontor-dbus-generated.h"
#include "kontor-preferences-window.h"

static GDBusInterfaceSkeleton *
load_accounts_interface_cb (gpointer user_data, GError **error)
{
  typedef GObject *(*ImplNew) (KontorAccountService * service);
  typedef GDBusInterfaceSkeleton *(*ImplGetSkeleton) (GObject * impl);
  KontorApplication *self = user_data;
  KontorAccountService *service;
  ImplGetSkeleton get_skeleton;
  ImplNew impl_new;

  impl_new = (ImplNew) kontor_library_lookup ("kontor-services", "kontor_accounts_impl_new", error);
  if (impl_new == NULL)
    return NULL;
  get_skeleton = (ImplGetSkeleton) kontor_library_lookup (
    "kontor-services", "kontor_accounts_impl_get_skeleton", error);
  if (get_skeleton == NULL)
    return NULL;
  service = kontor_context_get_account_service (self->context);
  g_assert (service != NULL);

  self->accounts_impl = impl_new (service);
  return g_object_ref (get_skeleton (self->accounts_impl));
}

gboolean
kontor_application_export_accounts (KontorApplication *self,
                                    GDBusConnection *connection,
                                    const char *object_path,
                                    GError **error)
{
  g_assert (self->accounts_interface == NULL);

  self->accounts_interface = kontor_lazy_interface_new (kontor_dbus_accounts1_interface_info (),
                                                        load_accounts_interface_cb, self, NULL);
  /* The window loads Accounts1 as it opens, when scripts add their first account: a
   * call arriving while a skeleton took the stub's place would be refused. */
  kontor_lazy_interface_set_keep_stub (self->accounts_interface, TRUE);
  return kontor_lazy_interface_export (self->accounts_interface, connection, object_path, error);
}

void
kontor_application_unexport_accounts (KontorApplication *self)
{
  if (self->accounts_interface != NULL)
    kontor_lazy_interface_unexport (self->accounts_interface);
}

/**
 * kontor_application_ensure_accounts:
 * @out_service: (out) (transfer none): the account service
 *
 * Opens libkontor-accounts-ui.so and the account service, unless they are open. From
 * then on Accounts1 is loaded too, so that scripts hear of the changes the window
 * shows.
 *
 * Returns: (transfer none) (nullable): the accounts' windows and page, or %NULL
 *   with @error set when the libraries cannot be opened (a broken installation)
 */
const KontorAccountsUi *
kontor_application_ensure_accounts (KontorApplication *self,
                                    KontorAccountService **out_service,
                                    GError **error)
{
  typedef const KontorAccountsUi *(*UiGet) (void);
  g_autoptr (GError) local_error = NULL;
  KontorAccountService *service;

  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (out_service != NULL, NULL);

  if (self->accounts_ui == NULL)
    {
      UiGet ui_get;
      const KontorAccountsUi *ui;

      ui_get =
        (UiGet) kontor_library_lookup ("kontor-accounts-ui", "kontor_accounts_ui_get", error);
      if (ui_get == NULL)
        return NULL;
      ui = ui_get ();
      if (ui->version != KONTOR_ACCOUNTS_UI_VERSION)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                       "libkontor-accounts-ui.so is of another version of Kontor");
          return NULL;
        }
      self->accounts_ui = ui;
    }

  service = kontor_context_get_account_service (self->context);
  if (service == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                   "libkontor-services.so could not be loaded");
      return NULL;
    }

  if (self->accounts_interface != NULL &&
      !kontor_lazy_interface_load (self->accounts_interface, &local_error))
    g_warning ("Accounts1 could not be loaded: %s", local_error->message);

  *out_service = service;
  return self->accounts_ui;
}

static void
account_added_cb (GtkWindow *assistant, const char *id, KontorApplication *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (assistant);

  /* Preferences may be in front of the main window. */
  if (ADW_IS_PREFERENCES_WINDOW (parent))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (parent),
                                      adw_toast_new (_ ("Account added")));
  kontor_window_show_toast (kontor_application_ensure_window (self), _ ("Account added"));
}

static void
account_changed_cb (GtkWindow *assistant, const char *id, KontorApplication *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (assistant);

  if (ADW_IS_PREFERENCES_WINDOW (parent))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (parent),
                                      adw_toast_new (_ ("Account changed")));
  kontor_window_show_toast (kontor_application_ensure_window (self), _ ("Account changed"));
}

/* The window the user is in: the main window or Preferences. */
static GtkWindow *
find_parent (KontorApplication *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_items = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_is_active (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (KONTOR_IS_WINDOW (window) || KONTOR_IS_PREFERENCES_WINDOW (window)))
        return window;
    }
  return GTK_WINDOW (kontor_application_ensure_window (self));
}

/* One assistant at a time; a closed one may live on until what it ran has ended. */
static gboolean
present_assistant (KontorApplication *self)
{
  if (self->assistant == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->assistant)))
    return FALSE;
  gtk_window_present (self->assistant);
  return TRUE;
}

static void
show_assistant (KontorApplication *self, GtkWindow *assistant)
{
  GtkWindow *parent = find_parent (self);

  gtk_window_set_transient_for (assistant, parent);
  g_set_weak_pointer (&self->assistant, assistant);
  g_debug ("Showing the account assistant over %s", G_OBJECT_TYPE_NAME (parent));
  gtk_window_present (assistant);
}

static void
add_account_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorApplication *self = user_data;
  g_autoptr (GError) error = NULL;
  const KontorAccountsUi *ui;
  KontorAccountService *service;
  GtkWindow *assistant;

  if (present_assistant (self))
    return;
  ui = kontor_application_ensure_accounts (self, &service, &error);
  if (ui == NULL)
    {
      g_warning ("%s", error->message);
      kontor_window_show_toast (kontor_application_ensure_window (self), error->message);
      return;
    }

  assistant = ui->assistant_new (service);
  g_signal_connect_object (assistant, "account-added", G_CALLBACK (account_added_cb), self, 0);
  show_assistant (self, assistant);
}

/* Preferences ▸ Accounts ▸ Edit Settings…, with the account's id. */
static void
edit_account_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorApplication *self = user_data;
  g_autoptr (GError) error = NULL;
  const KontorAccountsUi *ui;
  KontorAccountService *service;
  GtkWindow *assistant;

  if (present_assistant (self))
    return;
  ui = kontor_application_ensure_accounts (self, &service, &error);
  if (ui == NULL)
    {
      g_warning ("%s", error->message);
      kontor_window_show_toast (kontor_application_ensure_window (self), error->message);
      return;
    }

  assistant = ui->assistant_new_for_account (service, g_variant_get_string (parameter, NULL));
  if (assistant == NULL)
    return;
  g_signal_connect_object (assistant, "account-changed", G_CALLBACK (account_changed_cb), self, 0);
  show_assistant (self, assistant);
}

void
kontor_application_add_account_actions (KontorApplication *self)
{
  static const GActionEntry actions[] = {
    { "add-account", add_account_action_cb },
    { "edit-account", edit_account_action_cb, "s" },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}
