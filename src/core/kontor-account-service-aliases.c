/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service-aliases.c: the other addresses an account sends from. They
 * are kept where Evolution keeps them, in the identity source's MailIdentity
 * "aliases" (a comma-separated list of "Name <address>" or "address"), so both
 * programs on the same profile see the same aliases. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <camel/camel.h>
#include <glib/gi18n-lib.h>

#include "kontor-account-service-private.h"
#include "kontor-error.h"

/* Each alias of the account's identity as "Name <address>" or "address", or NULL when
 * it has none. */
GStrv
kontor_account_sources_dup_aliases (const KontorAccountSources *sources)
{
  g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *text = NULL;
  int n;

  if (sources->identity == NULL ||
      !e_source_has_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY))
    return NULL;
  text = e_source_mail_identity_dup_aliases (
    e_source_get_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY));
  if (text == NULL || *text == '\0')
    return NULL;
  n = camel_address_unformat (CAMEL_ADDRESS (parsed), text);
  if (n <= 0)
    return NULL;
  for (int i = 0; i < n; i++)
    {
      const char *name = NULL;
      const char *address = NULL;

      if (camel_internet_address_get (parsed, i, &name, &address) && address != NULL &&
          *address != '\0')
        {
          g_autofree char *formatted = camel_internet_address_format_address (
            name != NULL && *name != '\0' ? name : NULL, address);

          g_strv_builder_add (builder, formatted);
        }
    }
  return g_strv_builder_end (builder);
}

/* @aliases as one Evolution-style list, each checked: one valid address, not the
 * account's own, not twice. */
static char *
join_aliases (const char *email, const char *const *aliases, GError **error)
{
  g_autoptr (CamelInternetAddress) all = camel_internet_address_new ();

  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) one = camel_internet_address_new ();
      const char *name = NULL;
      const char *address = NULL;

      if (camel_address_unformat (CAMEL_ADDRESS (one), aliases[i]) != 1 ||
          !camel_internet_address_get (one, 0, &name, &address) || address == NULL ||
          !kontor_email_is_valid (address))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an e-mail address"), aliases[i]);
          return NULL;
        }
      if (g_ascii_strcasecmp (address, email) == 0 ||
          camel_internet_address_find_address (all, address, NULL) >= 0)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("The account already sends as “%s”"), address);
          return NULL;
        }
      camel_internet_address_add (all, name != NULL && *name != '\0' ? name : NULL, address);
    }
  return camel_address_format (CAMEL_ADDRESS (all));
}

static void
set_aliases_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountSources sources;
  ESourceMailIdentity *identity =
    kontor_account_service_lookup_identity (KONTOR_ACCOUNT_SERVICE (object), task, &sources);
  g_autoptr (GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *joined = NULL;

  if (identity == NULL)
    {
      kontor_account_sources_clear (&sources);
      return;
    }
  if (!e_source_get_writable (sources.identity))
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                             _ ("This account is managed by another program; change it there"));
  else if ((email = e_source_mail_identity_dup_address (identity)) == NULL)
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                             _ ("No account “%s” sends mail"), ((KontorAccountOp *) task_data)->id);
  else if ((joined = join_aliases (email, kontor_account_service_identity_op_get_data (task),
                                   &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      e_source_mail_identity_set_aliases (identity, *joined != '\0' ? joined : NULL);
      if (!e_source_write_sync (sources.identity, cancellable, &error))
        g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                                 _ ("The aliases could not be stored: %s"), error->message);
      else
        g_task_return_boolean (task, TRUE);
    }
  kontor_account_sources_clear (&sources);
}

/**
 * kontor_account_service_set_aliases_async:
 * @id: the account
 * @aliases: (array zero-terminated=1): every alias, "Name <address>" or "address";
 *   they replace the ones the account had
 *
 * Stores the account's aliases in its identity source.
 */
void
kontor_account_service_set_aliases_async (KontorAccountService *self,
                                          const char *id,
                                          const char *const *aliases,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  kontor_account_service_identity_op_async (
    self, id, kontor_account_service_set_aliases_async, set_aliases_thread,
    g_strdupv ((char **) aliases), (GDestroyNotify) g_strfreev, cancellable, callback, user_data);
}

/* The accounts are read again before this returns, so what follows sees the aliases. */
gboolean
kontor_account_service_set_aliases_finish (KontorAccountService *self,
                                           GAsyncResult *result,
                                           GError **error)
{
  return kontor_account_service_identity_op_finish (self, result, error);
}
