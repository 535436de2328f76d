/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service-signature.c: the signature of an account's own address, kept
 * as Evolution keeps it: a MailSignature source (plain text, its content in
 * $XDG_CONFIG_HOME/evolution/signatures/UID) named by the identity's "signature-uid",
 * which is "none" for no signature. Evolution on the same profile then signs with
 * it too, and a signature chosen there is the one Kontor uses. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-account-service-private.h"
#include "kontor-error.h"

/* The identity's signature source if it is one, else a new plain-text one, stored. */
static ESource *
ensure_signature_source (ESourceRegistry *registry,
                         ESource *identity,
                         GCancellable *cancellable,
                         GError **error)
{
  ESourceMailIdentity *extension =
    e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  const char *uid = e_source_mail_identity_get_signature_uid (extension);
  g_autoptr (ESource) source = NULL;
  g_autofree char *name = NULL;
  ESourceMailSignature *signature;

  if (uid != NULL && *uid != '\0' && g_strcmp0 (uid, "none") != 0 &&
      (source = e_source_registry_ref_source (registry, uid)) != NULL &&
      e_source_has_extension (source, E_SOURCE_EXTENSION_MAIL_SIGNATURE))
    {
      /* One written as HTML in Evolution is replaced by the plain text given here. */
      signature = e_source_get_extension (source, E_SOURCE_EXTENSION_MAIL_SIGNATURE);
      if (g_strcmp0 (e_source_mail_signature_get_mime_type (signature), "text/plain") != 0)
        {
          e_source_mail_signature_set_mime_type (signature, "text/plain");
          if (!e_source_write_sync (source, cancellable, error))
            return NULL;
        }
      return g_steal_pointer (&source);
    }
  g_clear_object (&source);
  if ((source = e_source_new (NULL, NULL, error)) == NULL)
    return NULL;
  name = g_strdup_printf ("%s <%s>", e_source_mail_identity_get_name (extension) ?: "",
                          e_source_mail_identity_get_address (extension) ?: "");
  e_source_set_display_name (source, g_strstrip (name));
  signature = e_source_get_extension (source, E_SOURCE_EXTENSION_MAIL_SIGNATURE);
  e_source_mail_signature_set_mime_type (signature, "text/plain");
  if (!e_source_registry_commit_source_sync (registry, source, cancellable, error))
    return NULL;
  return g_steal_pointer (&source);
}

static void
set_signature_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  const char *text = g_object_get_data (G_OBJECT (task), "kontor-signature");
  g_autoptr (ESource) root = e_source_registry_ref_source (self->registry, op->id);
  g_autoptr (ESource) signature = NULL;
  KontorAccountSources sources = { NULL };
  g_autoptr (GError) error = NULL;
  ESourceMailIdentity *identity;

  if (root != NULL)
    kontor_account_sources_lookup (self->registry, root, &sources);
  if (sources.identity == NULL ||
      !e_source_has_extension (sources.identity, E_SOURCE_EXTENSION_MAIL_IDENTITY))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("The account “%s” sends no mail"), op->id);
      kontor_account_sources_clear (&sources);
      return;
    }
  identity = e_source_get_extension (sources.identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  if (text != NULL && *text != '\0')
    {
      signature = ensure_signature_source (self->registry, sources.identity, cancellable, &error);
      if (signature == NULL || !e_source_mail_signature_replace_sync (
                                 signature, text, strlen (text), cancellable, &error))
        goto failed;
      e_source_mail_identity_set_signature_uid (identity, e_source_get_uid (signature));
    }
  else
    e_source_mail_identity_set_signature_uid (identity, "none");
  if (e_source_get_writable (sources.identity) &&
      !e_source_write_sync (sources.identity, cancellable, &error))
    goto failed;
  g_task_return_boolean (task, TRUE);
  kontor_account_sources_clear (&sources);
  return;

failed:
  g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                           _ ("The signature could not be stored with the account: %s"),
                           error->message);
  kontor_account_sources_clear (&sources);
}

static void
set_signature_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!kontor_account_service_load_finish (KONTOR_ACCOUNT_SERVICE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, set_signature_thread);
}

/**
 * kontor_account_service_set_signature_async:
 * @id: the account
 * @text: (nullable): the signature of the account's own address, plain text without
 *   the "-- " line; %NULL or "" for none
 *
 * Stores the signature with the account, where Evolution keeps it.
 */
void
kontor_account_service_set_signature_async (KontorAccountService *self,
                                            const char *id,
                                            const char *text,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  task = kontor_account_service_op_task (self, kontor_account_service_set_signature_async,
                                         cancellable, callback, user_data, &op);
  op->id = g_strdup (id);
  g_object_set_data_full (G_OBJECT (task), "kontor-signature", g_strdup (text), g_free);
  kontor_account_service_load_async (self, cancellable, set_signature_loaded_cb, task);
}

/* The accounts are read again before this returns, so what follows sees the change. */
gboolean
kontor_account_service_set_signature_finish (KontorAccountService *self,
                                             GAsyncResult *result,
                                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  kontor_account_service_refresh (self);
  return TRUE;
}
