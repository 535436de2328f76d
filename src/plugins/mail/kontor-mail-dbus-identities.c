/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-dbus-identities.c: Mail1's ListIdentities, SetAliases and SetSignature.
 * They read and change the account service, which lives on the main thread, so they
 * are answered here rather than in Mail1's worker threads. */
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
signature_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!kontor_mail_identities_set_signature_finish (result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  release ();
}

static void
signature_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *accounts = KONTOR_ACCOUNT_SERVICE (object);
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  const char *address, *text;
  GError *error = NULL;

  g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(&s&s)", &address, &text);
  if (!kontor_account_service_load_finish (accounts, result, &error))
    {
      g_dbus_method_invocation_take_error (g_steal_pointer (&invocation), error);
      release ();
      return;
    }
  kontor_mail_identities_set_signature_async (accounts, address, text, NULL, signature_set_cb,
                                              g_steal_pointer (&invocation));
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
