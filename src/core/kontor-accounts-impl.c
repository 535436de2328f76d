/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-impl.c: Accounts1 on top of KontorAccountService, the same calls
 * the account assistant and Preferences make. Failures are named errors. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-accounts-impl.h"
#include "kontor-dbus-generated.h"

struct _KontorAccountsImpl
{
  GObject parent_instance;

  KontorDBusAccounts1 *skeleton;
  KontorAccountService *service;
};

G_DEFINE_FINAL_TYPE (KontorAccountsImpl, kontor_accounts_impl, G_TYPE_OBJECT)

/* Holds the application (if any) while a call runs, so a D-Bus activated service
 * does not exit in the middle of adding an account. */
static void
hold (void)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL)
    g_application_hold (application);
}

static void
release (void)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL)
    g_application_release (application);
}

static void
return_result (GDBusMethodInvocation *invocation, GVariant *value, GError *error)
{
  if (error != NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, value);
  release ();
}

static void
list_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *service = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  GVariantBuilder builder;

  if (!kontor_account_service_load_finish (service, result, &error))
    {
      return_result (invocation, NULL, error);
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (service)); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (G_LIST_MODEL (service), i);

      g_variant_builder_add_value (&builder, kontor_account_to_variant (account));
    }
  return_result (invocation, g_variant_new ("(aa{sv})", &builder), NULL);
}

static gboolean
handle_list_cb (KontorDBusAccounts1 *skeleton,
                GDBusMethodInvocation *invocation,
                KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_load_async (self->service, NULL, list_loaded_cb,
                                     g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
discover_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  settings =
    kontor_account_service_discover_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (
    invocation,
    settings ? g_variant_new ("(@a{sv})", kontor_account_settings_to_variant (settings)) : NULL,
    error);
}

static gboolean
handle_discover_cb (KontorDBusAccounts1 *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char *email,
                    GVariant *options,
                    KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_discover_async (self->service, email, options, NULL, discover_cb,
                                         g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
add_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
    kontor_account_service_add_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);

  return_result (invocation, id ? g_variant_new ("(s)", id) : NULL, error);
}

static gboolean
handle_add_cb (KontorDBusAccounts1 *skeleton,
               GDBusMethodInvocation *invocation,
               const char *email,
               const char *password,
               GVariant *options,
               KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_add_async (self->service, email, password, options, NULL, add_cb,
                                    g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
update_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  kontor_account_service_update_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (invocation, NULL, error);
}

static gboolean
handle_update_cb (KontorDBusAccounts1 *skeleton,
                  GDBusMethodInvocation *invocation,
                  const char *id,
                  GVariant *options,
                  KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_update_async (self->service, id, options, NULL, update_cb,
                                       g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
remove_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  kontor_account_service_remove_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (invocation, NULL, error);
}

static gboolean
handle_remove_cb (KontorDBusAccounts1 *skeleton,
                  GDBusMethodInvocation *invocation,
                  const char *id,
                  KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_remove_async (self->service, id, NULL, remove_cb,
                                       g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
set_enabled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  kontor_account_service_set_enabled_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (invocation, NULL, error);
}

static gboolean
handle_set_enabled_cb (KontorDBusAccounts1 *skeleton,
                       GDBusMethodInvocation *invocation,
                       const char *id,
                       const char *service,
                       gboolean enabled,
                       KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_set_enabled_async (self->service, id, service, enabled, NULL,
                                            set_enabled_cb, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
set_password_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  kontor_account_service_set_password_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (invocation, NULL, error);
}

static gboolean
handle_set_password_cb (KontorDBusAccounts1 *skeleton,
                        GDBusMethodInvocation *invocation,
                        const char *id,
                        const char *secret,
                        const char *password,
                        KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_set_password_async (self->service, id, secret, password, NULL,
                                             set_password_cb, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
verify_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;

  verification =
    kontor_account_service_verify_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error);
  return_result (
    invocation,
    verification ? g_variant_new ("(@a{sv})", kontor_verification_to_variant (verification)) : NULL,
    error);
}

static gboolean
handle_verify_cb (KontorDBusAccounts1 *skeleton,
                  GDBusMethodInvocation *invocation,
                  const char *id,
                  KontorAccountsImpl *self)
{
  hold ();
  kontor_account_service_verify_async (self->service, id, NULL, verify_cb,
                                       g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
account_changed_cb (KontorAccountsImpl *self, const char *id)
{
  kontor_dbus_accounts1_emit_changed (self->skeleton, id);
}

static void
kontor_accounts_impl_dispose (GObject *object)
{
  KontorAccountsImpl *self = KONTOR_ACCOUNTS_IMPL (object);

  kontor_accounts_impl_unexport (self);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (kontor_accounts_impl_parent_class)->dispose (object);
}

static void
kontor_accounts_impl_class_init (KontorAccountsImplClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kontor_accounts_impl_dispose;
}

static void
kontor_accounts_impl_init (KontorAccountsImpl *self)
{
  self->skeleton = kontor_dbus_accounts1_skeleton_new ();

  g_signal_connect_object (self->skeleton, "handle-list", G_CALLBACK (handle_list_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-discover", G_CALLBACK (handle_discover_cb), self,
                           0);
  g_signal_connect_object (self->skeleton, "handle-add", G_CALLBACK (handle_add_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-update", G_CALLBACK (handle_update_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-remove", G_CALLBACK (handle_remove_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-set-enabled", G_CALLBACK (handle_set_enabled_cb),
                           self, 0);
  g_signal_connect_object (self->skeleton, "handle-set-password",
                           G_CALLBACK (handle_set_password_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-verify", G_CALLBACK (handle_verify_cb), self, 0);
}

KontorAccountsImpl *
kontor_accounts_impl_new (KontorAccountService *service)
{
  KontorAccountsImpl *self;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (service), NULL);

  self = g_object_new (KONTOR_TYPE_ACCOUNTS_IMPL, NULL);
  self->service = g_object_ref (service);
  g_signal_connect_object (service, "account-changed", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

gboolean
kontor_accounts_impl_export (KontorAccountsImpl *self,
                             GDBusConnection *connection,
                             const char *object_path,
                             GError **error)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNTS_IMPL (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           object_path, error);
}

/* Safe to call more than once. */
void
kontor_accounts_impl_unexport (KontorAccountsImpl *self)
{
  GDBusInterfaceSkeleton *skeleton;

  g_return_if_fail (KONTOR_IS_ACCOUNTS_IMPL (self));

  skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);
  if (skeleton != NULL && g_dbus_interface_skeleton_get_connection (skeleton) != NULL)
    g_dbus_interface_skeleton_unexport (skeleton);
}

/**
 * kontor_accounts_impl_get_skeleton:
 *
 * For a caller that exports the interface itself (KontorLazyInterface).
 *
 * Returns: (transfer none): the Accounts1 skeleton
 */
GDBusInterfaceSkeleton *
kontor_accounts_impl_get_skeleton (KontorAccountsImpl *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNTS_IMPL (self), NULL);

  return G_DBUS_INTERFACE_SKELETON (self->skeleton);
}
