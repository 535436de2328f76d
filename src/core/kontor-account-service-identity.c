/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service-identity.c: what the changes to an account's mail identity
 * (its aliases, its signature) have in common: the accounts are loaded first, the
 * identity source is found and written in a thread, and the accounts are read again
 * before the change is reported done, so what follows sees it. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-account-service-private.h"
#include "kontor-error.h"

#define IDENTITY_DATA "kontor-identity-data"

static void
identity_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GTaskThreadFunc func = g_object_get_data (G_OBJECT (task), "kontor-identity-func");
  GError *error = NULL;

  if (!kontor_account_service_load_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, func);
}

/*
 * kontor_account_service_identity_op_async:
 * @func: runs in a thread, after the accounts are loaded
 * @data: (transfer full) (nullable): for @func, from
 *   kontor_account_service_identity_op_get_data ()
 *
 * Runs a change to the mail identity of account @id.
 */
void
kontor_account_service_identity_op_async (KontorAccountService *self,
                                          const char *id,
                                          gpointer source_tag,
                                          GTaskThreadFunc func,
                                          gpointer data,
                                          GDestroyNotify data_free,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task =
    kontor_account_service_op_task (self, source_tag, cancellable, callback, user_data, &op);

  op->id = g_strdup (id);
  g_object_set_data_full (G_OBJECT (task), IDENTITY_DATA, data, data_free);
  g_object_set_data (G_OBJECT (task), "kontor-identity-func", func);
  kontor_account_service_load_async (self, cancellable, identity_loaded_cb, task);
}

gpointer
kontor_account_service_identity_op_get_data (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), IDENTITY_DATA);
}

gboolean
kontor_account_service_identity_op_finish (KontorAccountService *self,
                                           GAsyncResult *result,
                                           GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  kontor_account_service_refresh (self);
  return TRUE;
}

/*
 * kontor_account_service_lookup_identity:
 * @sources: (out caller-allocates): the account's sources, for
 *   kontor_account_sources_clear () in any case
 *
 * In the thread of an identity op: the account's mail identity.
 *
 * Returns: (transfer none) (nullable): the identity of @sources, or %NULL with @task
 *   returned NotFound when the account does not exist or sends no mail
 */
ESourceMailIdentity *
kontor_account_service_lookup_identity (KontorAccountService *self,
                                        GTask *task,
                                        KontorAccountSources *sources)
{
  KontorAccountOp *op = g_task_get_task_data (task);
  g_autoptr (ESource) root = e_source_registry_ref_source (self->registry, op->id);

  memset (sources, 0, sizeof *sources);
  if (root != NULL)
    kontor_account_sources_lookup (self->registry, root, sources);
  if (sources->identity == NULL ||
      !e_source_has_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("The account “%s” sends no mail"), op->id);
      return NULL;
    }
  return e_source_get_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
}
