/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-dbus-identities.c: Mail1's ListIdentities, SetAliases and SetSignature.
 * They read and change the account service, which lives on the main thread, so they
 * are answered here rather than in Mail1's worker threads; the signature file is
 * written in a worker. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-account-service.h"
#include "kontor-error.h"
#include "kontor-mail-dbus.h"
#include "kontor-mail-identities.h"

/* The application is held while a call is pending (a D-Bus activated service quits
 * when idle, not mid-call). */
static void
hold (void)
{
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
}

static void
release (void)
{
  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());
}

static void
list_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *accounts = KONTOR_ACCOUNT_SERVICE (object);
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!kontor_account_service_load_finish (accounts, result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("(@aa{sv})", kontor_mail_identities_list (accounts)));
  release ();
}

static void
aliases_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!kontor_account_service_set_aliases_finish (KONTOR_ACCOUNT_SERVICE (object), result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  release ();
}

static void
signature_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVariant *parameters = task_data;
  const char *address, *text;
  GError *error = NULL;

  g_variant_get (parameters, "(&s&s)", &address, &text);
  if (kontor_mail_signatures_set (address, text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
signature_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  release ();
}

/* Whether one of the user's addresses is @address. */
static gboolean
is_identity (KontorAccountService *accounts, const char *address)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr (KontorMailFrom) from = NULL;

      if (g_ascii_strcasecmp (address, kontor_account_get_id (account)) != 0 &&
          (from = kontor_mail_identities_find (account, address)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
signature_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *accounts = KONTOR_ACCOUNT_SERVICE (object);
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GVariant *parameters = g_dbus_method_invocation_get_parameters (invocation);
  g_autoptr (GTask) task = NULL;
  const char *address;
  GError *error = NULL;

  g_variant_get (parameters, "(&s&s)", &address, NULL);
  if (!kontor_account_service_load_finish (accounts, result, &error))
    {
      g_dbus_method_invocation_take_error (g_steal_pointer (&invocation), error);
      release ();
      return;
    }
  if (!is_identity (accounts, address))
    {
      g_dbus_method_invocation_return_error (g_steal_pointer (&invocation), KONTOR_ERROR,
                                             KONTOR_ERROR_NOT_FOUND, _ ("No account sends as “%s”"),
                                             address);
      release ();
      return;
    }
  task = g_task_new (NULL, NULL, signature_set_cb, g_steal_pointer (&invocation));
  g_task_set_task_data (task, g_variant_ref (parameters), (GDestroyNotify) g_variant_unref);
  g_task_run_in_thread (task, signature_thread);
}

/**
 * kontor_mail_dbus_identities_handle:
 *
 * Answers @invocation if it is one of the identity methods.
 *
 * Returns: whether it was
 */
gboolean
kontor_mail_dbus_identities_handle (KontorMailEngine *engine, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *parameters = g_dbus_method_invocation_get_parameters (invocation);
  KontorAccountService *accounts = kontor_mail_engine_get_account_service (engine);

  if (!g_str_equal (method, "ListIdentities") && !g_str_equal (method, "SetAliases") &&
      !g_str_equal (method, "SetSignature"))
    return FALSE;
  if (accounts == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                                             _ ("There are no accounts here"));
      return TRUE;
    }
  hold ();
  if (g_str_equal (method, "ListIdentities"))
    kontor_account_service_load_async (accounts, NULL, list_loaded_cb, g_object_ref (invocation));
  else if (g_str_equal (method, "SetAliases"))
    {
      const char *account_id;
      g_autofree const char **aliases = NULL;

      g_variant_get (parameters, "(&s^a&s)", &account_id, &aliases);
      kontor_account_service_set_aliases_async (accounts, account_id, aliases, NULL, aliases_set_cb,
                                                g_object_ref (invocation));
    }
  else
    kontor_account_service_load_async (accounts, NULL, signature_loaded_cb,
                                       g_object_ref (invocation));
  return TRUE;
}
