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
  const char *text = kontor_account_service_identity_op_get_data (task);
  g_autoptr (ESource) signature = NULL;
  KontorAccountSources sources;
  ESourceMailIdentity *identity = kontor_account_service_lookup_identity (self, task, &sources);
  g_autoptr (GError) error = NULL;

  if (identity == NULL)
    {
      kontor_account_sources_clear (&sources);
      return;
    }
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
  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  kontor_account_service_identity_op_async (self, id, kontor_account_service_set_signature_async,
                                            set_signature_thread, g_strdup (text), g_free,
                                            cancellable, callback, user_data);
}

/* The accounts are read again before this returns, so what follows sees the change. */
gboolean
kontor_account_service_set_signature_finish (KontorAccountService *self,
                                             GAsyncResult *result,
                                             GError **error)
{
  return kontor_account_service_identity_op_finish (self, result, error);
}
