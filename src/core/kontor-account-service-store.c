/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service-store.c: the account service's changes: add (discover,
 * verify, then store), remove, turn services on and off, change a password, verify.
 * Registry and keyring calls are blocking, so they run in a worker thread. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-account-service-private.h"
#include "kontor-error.h"

static KontorAccount *
lookup_or_fail (KontorAccountService *self, GTask *task, const char *id)
{
  KontorAccount *account = kontor_account_service_find (self->accounts, id);

  if (account == NULL)
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                             _ ("No account “%s” exists"), id);
  return account;
}

static ESource *
ref_root (KontorAccountService *self, const char *id, KontorAccountSources *sources)
{
  ESource *root = e_source_registry_ref_source (self->registry, id);

  if (root != NULL)
    kontor_account_sources_lookup (self->registry, root, sources);
  return root;
}

typedef struct
{
  char *host;
  guint16 port;
  GTlsCertificate *previous;
} Pin;

static void
pin_free (Pin *pin)
{
  g_free (pin->host);
  g_clear_object (&pin->previous);
  g_free (pin);
}

static gboolean
pin_one (KontorAccountService *self,
         GPtrArray *pins,
         const char *host,
         guint16 port,
         GTlsCertificate *certificate,
         GError **error)
{
  Pin *pin = g_new0 (Pin, 1);

  pin->host = g_strdup (host);
  pin->port = port;
  pin->previous =
    kontor_trust_store_dup_certificate (kontor_account_service_ensure_trust (self), host, port);
  g_ptr_array_add (pins, pin);
  return kontor_trust_store_pin (self->trust, host, port, certificate, error);
}

/* An Add that fails leaves the trust store as it was. */
static void
restore_pins (KontorAccountService *self, GPtrArray *pins)
{
  for (guint i = 0; pins != NULL && i < pins->len; i++)
    {
      Pin *pin = pins->pdata[i];

      if (pin->previous != NULL)
        kontor_trust_store_pin (self->trust, pin->host, pin->port, pin->previous, NULL);
      else
        kontor_trust_store_unpin (self->trust, pin->host, pin->port, NULL);
    }
}

/* Pins the certificate the user accepted for every host of the account: only a
 * server that presents exactly that certificate is trusted by it. What was pinned
 * before is kept in @pins, to restore when the account is not added after all. */
static gboolean
pin_accepted_certificate (KontorAccountService *self,
                          const KontorAccountSettings *settings,
                          GPtrArray *pins,
                          GError **error)
{
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *urls[] = { settings->caldav_url, settings->carddav_url, settings->webdav_url };

  if (settings->trusted_certificate == NULL)
    return TRUE;

  certificate = g_tls_certificate_new_from_pem (settings->trusted_certificate, -1, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The trusted certificate is not a PEM certificate: %s"),
                   local_error->message);
      return FALSE;
    }

  if (settings->imap_host != NULL &&
      !pin_one (self, pins, settings->imap_host, settings->imap_port, certificate, error))
    return FALSE;
  if (settings->smtp_host != NULL &&
      !pin_one (self, pins, settings->smtp_host, settings->smtp_port, certificate, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr (GUri) uri = urls[i] ? g_uri_parse (urls[i], G_URI_FLAGS_NONE, NULL) : NULL;

      if (uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 &&
          !pin_one (self, pins, g_uri_get_host (uri),
                    g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443, certificate, error))
        return FALSE;
    }
  return TRUE;
}

static const char *
option_secret (KontorAccountOp *op, const char *key)
{
  const char *value = NULL;

  if (g_variant_lookup (op->options, key, "&s", &value) && *value != '\0')
    return value;
  return op->password;
}

static gboolean
store_password (ESource *source, const char *password, GCancellable *cancellable, GError **error)
{
  return source == NULL ||
         e_source_store_password_sync (source, password, TRUE, cancellable, error);
}

static void
store_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  KontorAccountSources sources;
  g_autolist (ESource) list = kontor_account_sources_build (op->settings, &sources);
  g_autoptr (GError) error = NULL;

  if (!store_password (sources.collection, option_secret (op, "dav-password"), cancellable,
                       &error) ||
      !store_password (sources.mail_account, op->password, cancellable, &error) ||
      !store_password (sources.transport, op->password, cancellable, &error) ||
      !store_password (sources.files, option_secret (op, "files-password"), cancellable, &error) ||
      !e_source_registry_create_sources_sync (self->registry, list, cancellable, &error))
    {
      /* Nothing half-stored: remove the secrets written so far. */
      ESource *written[] = { sources.collection, sources.mail_account, sources.transport,
                             sources.files };

      for (guint i = 0; i < G_N_ELEMENTS (written); i++)
        if (written[i] != NULL)
          e_source_delete_password_sync (written[i], NULL, NULL);
      kontor_account_sources_clear (&sources);
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                               _ ("The account could not be stored: %s"), error->message);
      return;
    }

  g_task_return_pointer (task, e_source_dup_uid (sources.collection), g_free);
  kontor_account_sources_clear (&sources);
}

/* The first failure; for a certificate, with what the user needs to judge it. */
static GError *
dup_failure (KontorVerification *verification)
{
  GError *error = kontor_verification_dup_first_error (verification);
  g_autoptr (GVariant) details = NULL;
  g_auto (GStrv) services = NULL;

  if (!g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED))
    return error;

  details = g_variant_ref_sink (kontor_verification_to_variant (verification));
  services = kontor_verification_dup_services (verification);
  for (guint i = 0; services[i] != NULL; i++)
    {
      g_autoptr (GVariant) one =
        g_variant_lookup_value (details, services[i], G_VARIANT_TYPE_VARDICT);
      const char *subject = NULL, *issuer = NULL, *sha256 = NULL;
      char *message;

      if (one == NULL || !g_variant_lookup (one, "certificate-sha256", "&s", &sha256))
        continue;
      g_variant_lookup (one, "certificate-subject", "&s", &subject);
      g_variant_lookup (one, "certificate-issuer", "&s", &issuer);
      message =
        g_strdup_printf (_ ("%s Subject: %s. Issuer: %s. SHA-256 fingerprint: %s."), error->message,
                         subject ? subject : "?", issuer ? issuer : "?", sha256);
      g_free (error->message);
      error->message = message;
      break;
    }
  return error;
}

static void
store_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GTask) outer = user_data;
  GError *error = NULL;
  char *id = g_task_propagate_pointer (G_TASK (result), &error);

  if (id == NULL)
    {
      restore_pins (self, g_object_get_data (G_OBJECT (outer), "kontor-pins"));
      g_task_return_error (outer, error);
    }
  else
    g_task_return_pointer (outer, id, g_free);
}

static void
add_verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;

  KontorAccountService *self = g_task_get_source_object (task);
  GPtrArray *pins = g_object_get_data (G_OBJECT (task), "kontor-pins");
  g_autoptr (GTask) inner = NULL;

  verification = kontor_verifier_verify_finish (KONTOR_VERIFIER (source), result, &error);
  if (verification == NULL || !kontor_verification_is_ok (verification))
    {
      restore_pins (self, pins);
      g_task_return_error (task,
                           verification ? dup_failure (verification) : g_steal_pointer (&error));
      return;
    }

  /* Stored in a worker; the pins are put back here, on this thread, if that fails. */
  inner = g_task_new (self, g_task_get_cancellable (task), store_done_cb, g_object_ref (task));
  g_task_set_task_data (inner, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (inner, store_thread);
}

static gboolean
is_duplicate (KontorAccountService *self, const KontorAccountSettings *settings)
{
  for (guint i = 0; i < self->accounts->len; i++)
    if (g_ascii_strcasecmp (kontor_account_get_email (self->accounts->pdata[i]), settings->email) ==
        0)
      return TRUE;
  return FALSE;
}

static void
add_discovered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GTask) task = user_data;
  KontorAccountOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GPtrArray *pins;

  op->settings = kontor_account_service_discover_finish (self, result, &error);
  if (op->settings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (is_duplicate (self, op->settings))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("An account for %s already exists"), op->settings->email);
      return;
    }
  pins = g_ptr_array_new_with_free_func ((GDestroyNotify) pin_free);
  g_object_set_data_full (G_OBJECT (task), "kontor-pins", pins, (GDestroyNotify) g_ptr_array_unref);
  if (!pin_accepted_certificate (self, op->settings, pins, &error))
    {
      restore_pins (self, pins);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kontor_verifier_verify_async (kontor_account_service_ensure_verifier (self), op->settings,
                                op->password, option_secret (op, "dav-password"),
                                option_secret (op, "files-password"), g_task_get_cancellable (task),
                                add_verified_cb, g_object_ref (task));
}

/**
 * kontor_account_service_add_async:
 * @options: (nullable): an a{sv} as for Accounts1.Add
 *
 * Discovers, verifies every service by connecting, and only then stores the
 * account and its passwords. Finishes with the new account's id.
 */
void
kontor_account_service_add_async (KontorAccountService *self,
                                  const char *email,
                                  const char *password,
                                  GVariant *options,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *task;
  KontorAccountOp *op;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = kontor_account_service_op_task (self, kontor_account_service_add_async, cancellable,
                                         callback, user_data, &op);
  op->email = g_strdup (email);
  op->password = g_strdup (password);
  op->options =
    options ? g_variant_ref_sink (options) : g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  kontor_account_service_discover_async (self, email, op->options, cancellable, add_discovered_cb,
                                         task);
}

char *
kontor_account_service_add_finish (KontorAccountService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Runs @func in a thread once the registry is there and the account exists. */
static void
with_account_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GTask) task = user_data;
  KontorAccountOp *op = g_task_get_task_data (task);
  GTaskThreadFunc func = g_object_get_data (G_OBJECT (task), "kontor-thread-func");
  GError *error = NULL;

  if (!kontor_account_service_load_finish (self, result, &error))
    g_task_return_error (task, error);
  else if (lookup_or_fail (self, task, op->id) != NULL)
    g_task_run_in_thread (task, func);
}

static GTask *
account_task (KontorAccountService *self,
              const char *id,
              gpointer source_tag,
              GTaskThreadFunc func,
              GCancellable *cancellable,
              GAsyncReadyCallback callback,
              gpointer user_data,
              KontorAccountOp **out_op)
{
  GTask *task =
    kontor_account_service_op_task (self, source_tag, cancellable, callback, user_data, out_op);

  (*out_op)->id = g_strdup (id);
  g_object_set_data (G_OBJECT (task), "kontor-thread-func", func);
  return task;
}

static void
remove_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  KontorAccountSources sources;
  g_autoptr (ESource) root = ref_root (self, op->id, &sources);
  ESource *secrets[] = { sources.collection, sources.mail_account, sources.transport,
                         sources.files };
  g_autoptr (GError) error = NULL;

  if (root == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("No account “%s” exists"), op->id);
      return;
    }
  if (kontor_account_sources_is_read_only (&sources))
    {
      kontor_account_sources_clear (&sources);
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                               _ ("This account is managed by another program; remove it there"));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL)
      e_source_delete_password_sync (secrets[i], cancellable, NULL);

  /* Removing the root removes its children: calendars, books, identity, transport. */
  if (!e_source_remove_sync (root, cancellable, &error))
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                             _ ("The account could not be removed: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
  kontor_account_sources_clear (&sources);
}

void
kontor_account_service_remove_async (KontorAccountService *self,
                                     const char *id,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  task = account_task (self, id, kontor_account_service_remove_async, remove_thread, cancellable,
                       callback, user_data, &op);
  kontor_account_service_load_async (self, cancellable, with_account_loaded_cb, task);
}

gboolean
kontor_account_service_remove_finish (KontorAccountService *self,
                                      GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
set_source_enabled (ESource *source, gboolean enabled, GCancellable *cancellable, GError **error)
{
  if (source == NULL || e_source_get_enabled (source) == enabled)
    return TRUE;
  e_source_set_enabled (source, enabled);
  return e_source_write_sync (source, cancellable, error);
}

static const char *
describe_missing_service (KontorServiceFlags service)
{
  switch (service)
    {
      case KONTOR_SERVICE_MAIL:
        return _ ("The account has no mail");
      case KONTOR_SERVICE_CALENDAR:
        return _ ("The account has no calendars");
      case KONTOR_SERVICE_CONTACTS:
        return _ ("The account has no address books");
      case KONTOR_SERVICE_FILES:
      default:
        return _ ("The account has no files folder");
    }
}

static void
set_enabled_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  KontorAccountSources sources;
  g_autoptr (ESource) root = ref_root (self, op->id, &sources);
  g_autoptr (GError) error = NULL;
  ESourceCollection *collection = NULL;
  gboolean ok = TRUE;

  if (root == NULL || !(kontor_account_sources_get_available (&sources) & op->service))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, "%s",
                               describe_missing_service (op->service));
      kontor_account_sources_clear (&sources);
      return;
    }

  if (sources.collection != NULL)
    collection = e_source_get_extension (sources.collection, E_SOURCE_EXTENSION_COLLECTION);

  switch (op->service)
    {
      case KONTOR_SERVICE_MAIL:
        if (collection != NULL)
          e_source_collection_set_mail_enabled (collection, op->enabled);
        ok = set_source_enabled (sources.mail_account, op->enabled, cancellable, &error) &&
             set_source_enabled (sources.identity, op->enabled, cancellable, &error) &&
             set_source_enabled (sources.transport, op->enabled, cancellable, &error);
        break;
      case KONTOR_SERVICE_CALENDAR:
        e_source_collection_set_calendar_enabled (collection, op->enabled);
        break;
      case KONTOR_SERVICE_CONTACTS:
        e_source_collection_set_contacts_enabled (collection, op->enabled);
        break;
      case KONTOR_SERVICE_FILES:
        ok = set_source_enabled (sources.files, op->enabled, cancellable, &error);
        break;
      default:
        g_assert_not_reached ();
    }

  /* The collection's flags switch its calendars and books (EDS follows them). */
  if (ok && sources.collection != NULL)
    ok = e_source_write_sync (sources.collection, cancellable, &error);

  if (!ok)
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                             _ ("The account could not be changed: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
  kontor_account_sources_clear (&sources);
}

void
kontor_account_service_set_enabled_async (KontorAccountService *self,
                                          const char *id,
                                          const char *service,
                                          gboolean enabled,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  task = account_task (self, id, kontor_account_service_set_enabled_async, set_enabled_thread,
                       cancellable, callback, user_data, &op);
  op->enabled = enabled;
  if (!kontor_service_from_string (service, &op->service))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("Unknown service “%s”; use mail, calendar, contacts or files"),
                               service);
      g_object_unref (task);
      return;
    }
  kontor_account_service_load_async (self, cancellable, with_account_loaded_cb, task);
}

gboolean
kontor_account_service_set_enabled_finish (KontorAccountService *self,
                                           GAsyncResult *result,
                                           GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The stored secrets: mail, dav, files. A missing one is NULL. */
static void
lookup_passwords (KontorAccountSources *sources, GCancellable *cancellable, char *out[3])
{
  ESource *holders[] = { sources->mail_account, sources->collection, sources->files };

  for (guint i = 0; i < 3; i++)
    {
      out[i] = NULL;
      if (holders[i] != NULL)
        e_source_lookup_password_sync (holders[i], cancellable, &out[i], NULL);
    }
}

static void
verify_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The verifier is asynchronous; in this worker thread, wait for it on a private
 * main context. */
static KontorVerification *
verify_sync (KontorAccountService *self,
             const KontorAccountSettings *settings,
             char *passwords[3],
             GCancellable *cancellable,
             GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GAsyncResult) result = NULL;
  KontorVerification *verification;

  g_main_context_push_thread_default (context);
  kontor_verifier_verify_async (self->verifier, settings, passwords[0] ? passwords[0] : "",
                                passwords[1], passwords[2], cancellable, verify_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  verification = kontor_verifier_verify_finish (self->verifier, result, error);
  g_main_context_pop_thread_default (context);
  return verification;
}

static const char *const secret_names[] = { "mail", "dav", "files" };
static const char *const secret_services[][3] = { { "imap", "smtp", NULL },
                                                  { "caldav", "carddav", NULL },
                                                  { "webdav", NULL, NULL } };

static int
secret_index (const char *secret)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_names); i++)
    if (g_strcmp0 (secret, secret_names[i]) == 0)
      return i;
  return -1;
}

static gboolean
store_secret (KontorAccountSources *sources,
              int index,
              const char *password,
              GCancellable *cancellable,
              GError **error)
{
  switch (index)
    {
      case 0:
        return store_password (sources->mail_account, password, cancellable, error) &&
               store_password (sources->transport, password, cancellable, error);
      case 1:
        return store_password (sources->collection, password, cancellable, error);
      case 2:
      default:
        return store_password (sources->files, password, cancellable, error);
    }
}

static void
verify_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  KontorAccountSources sources;
  g_autoptr (ESource) root = ref_root (self, op->id, &sources);
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;
  int index = secret_index (op->secret);
  char *passwords[3];

  if (root == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("No account “%s” exists"), op->id);
      return;
    }

  op->settings = kontor_account_sources_read (&sources);
  lookup_passwords (&sources, cancellable, passwords);

  /* A new password is verified before it replaces the stored one. */
  if (index >= 0)
    {
      g_free (passwords[index]);
      passwords[index] = g_strdup (op->password);
    }

  verification = verify_sync (self, op->settings, passwords, cancellable, &error);
  for (guint i = 0; i < 3; i++)
    g_free (passwords[i]);

  if (verification == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (index < 0)
    g_task_return_pointer (task, g_steal_pointer (&verification), g_object_unref);
  else
    {
      for (guint i = 0; secret_services[index][i] != NULL; i++)
        {
          const GError *failure =
            kontor_verification_get_error (verification, secret_services[index][i]);

          if (failure != NULL)
            {
              g_task_return_error (task, g_error_copy (failure));
              kontor_account_sources_clear (&sources);
              return;
            }
        }
      if (!store_secret (&sources, index, op->password, cancellable, &error))
        g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                                 _ ("The password could not be stored: %s"), error->message);
      else
        g_task_return_pointer (task, g_steal_pointer (&verification), g_object_unref);
    }
  kontor_account_sources_clear (&sources);
}

/**
 * kontor_account_service_verify_async:
 *
 * Connects to every service of the account with its stored passwords.
 */
void
kontor_account_service_verify_async (KontorAccountService *self,
                                     const char *id,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);

  kontor_account_service_ensure_verifier (self);
  task = account_task (self, id, kontor_account_service_verify_async, verify_thread, cancellable,
                       callback, user_data, &op);
  kontor_account_service_load_async (self, cancellable, with_account_loaded_cb, task);
}

KontorVerification *
kontor_account_service_verify_finish (KontorAccountService *self,
                                      GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kontor_account_service_set_password_async:
 * @secret: "mail", "dav" or "files"
 *
 * Verifies the services that use @secret with @password, then stores it.
 */
void
kontor_account_service_set_password_async (KontorAccountService *self,
                                           const char *id,
                                           const char *secret,
                                           const char *password,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (password != NULL);

  kontor_account_service_ensure_verifier (self);
  task = account_task (self, id, kontor_account_service_set_password_async, verify_thread,
                       cancellable, callback, user_data, &op);
  op->secret = g_strdup (secret);
  op->password = g_strdup (password);
  if (secret_index (secret) < 0)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("Unknown password “%s”; use mail, dav or files"), secret);
      g_object_unref (task);
      return;
    }
  kontor_account_service_load_async (self, cancellable, with_account_loaded_cb, task);
}

gboolean
kontor_account_service_set_password_finish (KontorAccountService *self,
                                            GAsyncResult *result,
                                            GError **error)
{
  g_autoptr (KontorVerification) verification = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  verification = g_task_propagate_pointer (G_TASK (result), error);
  return verification != NULL;
}

static gboolean
write_sources (KontorAccountSources *sources, GCancellable *cancellable, GError **error)
{
  ESource *all[] = { sources->collection, sources->mail_account, sources->identity,
                     sources->transport, sources->files };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (all[i] != NULL && !e_source_write_sync (all[i], cancellable, error))
      return FALSE;
  return TRUE;
}

/* A files folder added to, or taken from, an existing account. The registry does
 * not let a client remove a collection's child, so a files source taken out keeps
 * existing, turned off and marked as taken out, and is reused when files come back
 * (kontor_account_sources_apply() has already written its new URL). */
static gboolean
update_files_source (KontorAccountService *self,
                     KontorAccountSources *sources,
                     const KontorAccountSettings *settings,
                     const char *files_password,
                     GCancellable *cancellable,
                     GError **error)
{
  ESourceResource *resource =
    sources->files ? e_source_get_extension (sources->files, E_SOURCE_EXTENSION_RESOURCE) : NULL;

  if (settings->webdav_url == NULL && sources->files != NULL)
    {
      e_source_resource_set_identity (resource, KONTOR_FILES_REMOVED_MARK);
      e_source_set_enabled (sources->files, FALSE);
      e_source_delete_password_sync (sources->files, cancellable, NULL);
      return e_source_write_sync (sources->files, cancellable, error);
    }
  if (settings->webdav_url != NULL && sources->files != NULL &&
      g_strcmp0 (e_source_resource_get_identity (resource), KONTOR_FILES_REMOVED_MARK) == 0)
    {
      e_source_resource_set_identity (resource, KONTOR_FILES_MARK);
      e_source_set_enabled (sources->files, TRUE);
      return store_password (sources->files, files_password, cancellable, error) &&
             e_source_write_sync (sources->files, cancellable, error);
    }
  if (settings->webdav_url != NULL && sources->files == NULL && sources->collection != NULL)
    {
      KontorAccountSources fresh;
      g_autolist (ESource) built = kontor_account_sources_build (settings, &fresh);
      g_autoptr (GList) list = NULL;
      gboolean ok;

      e_source_set_parent (fresh.files, e_source_get_uid (sources->collection));
      list = g_list_append (NULL, fresh.files);
      ok = store_password (fresh.files, files_password, cancellable, error) &&
           e_source_registry_create_sources_sync (self->registry, list, cancellable, error);
      kontor_account_sources_clear (&fresh);
      return ok;
    }
  return TRUE;
}

static void
update_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  KontorAccountService *self = object;
  KontorAccountOp *op = task_data;
  KontorAccountSources sources;
  g_autoptr (ESource) root = ref_root (self, op->id, &sources);
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (GError) error = NULL;
  const char *new_secrets[3] = { NULL, NULL, NULL };
  char *passwords[3];

  if (root == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("No account “%s” exists"), op->id);
      return;
    }

  /* New passwords given with the change replace the stored ones, once verified. */
  lookup_passwords (&sources, cancellable, passwords);
  g_variant_lookup (op->options, "password", "&s", &new_secrets[0]);
  g_variant_lookup (op->options, "dav-password", "&s", &new_secrets[1]);
  g_variant_lookup (op->options, "files-password", "&s", &new_secrets[2]);
  for (guint i = 0; i < 3; i++)
    if (new_secrets[i] != NULL && *new_secrets[i] != '\0')
      {
        g_free (passwords[i]);
        passwords[i] = g_strdup (new_secrets[i]);
      }
  if (passwords[2] == NULL && passwords[1] != NULL)
    passwords[2] = g_strdup (passwords[1]);

  verification = verify_sync (self, op->settings, passwords, cancellable, &error);
  if (verification != NULL && !kontor_verification_is_ok (verification))
    {
      g_clear_error (&error);
      error = dup_failure (verification);
    }

  if (error == NULL)
    {
      kontor_account_sources_apply (&sources, op->settings);
      if (!write_sources (&sources, cancellable, &error) ||
          !update_files_source (self, &sources, op->settings, passwords[2], cancellable, &error) ||
          (new_secrets[0] && *new_secrets[0] &&
           !store_secret (&sources, 0, new_secrets[0], cancellable, &error)) ||
          (new_secrets[1] && *new_secrets[1] &&
           !store_secret (&sources, 1, new_secrets[1], cancellable, &error)) ||
          (new_secrets[2] && *new_secrets[2] &&
           !store_secret (&sources, 2, new_secrets[2], cancellable, &error)))
        {
          GError *failure =
            g_error_new (KONTOR_ERROR, KONTOR_ERROR_FAILED,
                         _ ("The account could not be changed: %s"), error->message);

          g_clear_error (&error);
          error = failure;
        }
    }

  for (guint i = 0; i < 3; i++)
    g_free (passwords[i]);
  kontor_account_sources_clear (&sources);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
update_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GTask) outer = user_data;
  GPtrArray *pins = g_object_get_data (G_OBJECT (outer), "kontor-pins");
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      restore_pins (self, pins);
      g_task_return_error (outer, error);
    }
  else
    g_task_return_boolean (outer, TRUE);
}

static void
update_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  g_autoptr (GTask) task = user_data;
  KontorAccountOp *op = g_task_get_task_data (task);
  g_autoptr (GTask) inner = NULL;
  g_autoptr (GError) error = NULL;
  KontorAccount *account;
  GPtrArray *pins;

  if (!kontor_account_service_load_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((account = lookup_or_fail (self, task, op->id)) == NULL)
    return;
  if (kontor_account_get_read_only (account))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                               _ ("This account is managed by another program; change it there"));
      return;
    }

  op->settings = kontor_account_settings_copy (kontor_account_get_settings (account));
  g_clear_pointer (&op->settings->origin, g_free);
  op->settings->origin = g_strdup ("manual");
  if (!kontor_account_settings_apply_options (op->settings, op->options, &error) ||
      !kontor_account_settings_validate (op->settings, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  kontor_account_settings_drop_empty_urls (op->settings);

  pins = g_ptr_array_new_with_free_func ((GDestroyNotify) pin_free);
  g_object_set_data_full (G_OBJECT (task), "kontor-pins", pins, (GDestroyNotify) g_ptr_array_unref);
  if (!pin_accepted_certificate (self, op->settings, pins, &error))
    {
      restore_pins (self, pins);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kontor_account_service_ensure_verifier (self);
  inner = g_task_new (self, g_task_get_cancellable (task), update_done_cb, g_object_ref (task));
  g_task_set_task_data (inner, op, NULL);
  g_task_run_in_thread (inner, update_thread);
}

/**
 * kontor_account_service_update_async:
 * @options: an a{sv} with the keys of Accounts1.Add to change (and "password",
 *   "dav-password", "files-password" for new passwords)
 *
 * Changes an account's settings. The changed account is verified with its stored
 * (or the given new) passwords before anything is written; an empty URL removes that
 * service from the account.
 */
void
kontor_account_service_update_async (KontorAccountService *self,
                                     const char *id,
                                     GVariant *options,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  KontorAccountOp *op;
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (options != NULL);

  task = kontor_account_service_op_task (self, kontor_account_service_update_async, cancellable,
                                         callback, user_data, &op);
  op->id = g_strdup (id);
  op->options = g_variant_ref_sink (options);
  kontor_account_service_load_async (self, cancellable, update_loaded_cb, task);
}

gboolean
kontor_account_service_update_finish (KontorAccountService *self,
                                      GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kontor_account_service_dup_mail_password_sync:
 *
 * The password stored for an account's mail (IMAP and SMTP), read from the keyring,
 * for the mail engine to hand to Camel. Blocks: call it from a worker thread.
 */
char *
kontor_account_service_dup_mail_password_sync (KontorAccountService *self,
                                               const char *id,
                                               GCancellable *cancellable,
                                               GError **error)
{
  KontorAccountSources sources = { 0 };
  g_autoptr (ESource) root = NULL;
  char *password = NULL;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (self->registry == NULL || (root = ref_root (self, id, &sources)) == NULL ||
      sources.mail_account == NULL)
    {
      kontor_account_sources_clear (&sources);
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No account “%s” exists"), id);
      return NULL;
    }
  if (!e_source_lookup_password_sync (sources.mail_account, cancellable, &password, error))
    password = NULL;
  else if (password == NULL)
    g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED,
                 _ ("No password is stored for this account; enter it in Preferences ▸ Accounts"));
  kontor_account_sources_clear (&sources);
  return password;
}

KontorTrustStore *
kontor_account_service_get_trust_store (KontorAccountService *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self), NULL);
  return kontor_account_service_ensure_trust (self);
}
