/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-camel-session.c: Kontor's CamelSession: no prompts, trust only from the trust store.
 *
 * Camel asks its session two questions while connecting. "Which password?": Kontor sets
 * the password on the service before connecting, tries it once, and reports a rejection
 * as an error (CamelSession's default asks again and again for the same password).
 * "Trust this certificate?": only asked when GLib's own verification failed (a
 * certificate no system CA vouches for, or one for another name); the answer is yes
 * only when the user pinned exactly this certificate for this host and port, never by
 * default. A rejected certificate is kept per service so the caller can show it.
 *
 * Camel caches answers in its global CamelCertDB by host (not port). Kontor answers
 * "unknown" instead of "reject" so a refusal is never cached (Camel treats it as a
 * refusal and asks again next time), and "temporary" for a pin, which Camel never keeps
 * across restarts; kontor_camel_session_forget_trust() drops what Camel cached for a host
 * so the next handshake asks again. That runs whenever the trust store changes. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kontor-camel-session.h"

struct _KontorCamelSession
{
  CamelSession parent_instance;

  /* Owned */
  KontorTrustStore *trust;
  gulong trust_changed_id;
  GMutex lock;                       /* guards the two tables below */
  GHashTable *rejected_certificates; /* service uid -> GTlsCertificate */
  GHashTable *rejected_passwords;    /* set of service uids */
};

G_DEFINE_FINAL_TYPE (KontorCamelSession, kontor_camel_session, CAMEL_TYPE_SESSION)

enum
{
  PROP_0,
  PROP_TRUST_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Camel keeps process-wide state (providers, the certificate database): set up once,
 * by whichever thread creates the first session. */
static void
ensure_camel (const char *user_data_dir)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mkdir_with_parents (user_data_dir, 0700);
      if (camel_init (user_data_dir, FALSE) != 0)
        g_critical ("Camel could not be initialized");
      camel_provider_init ();
      g_once_init_leave (&initialized, 1);
    }
}

static void
get_host_and_port (CamelService *service, char **out_host, guint16 *out_port)
{
  g_autoptr (CamelSettings) settings = camel_service_ref_settings (service);

  *out_host = NULL;
  *out_port = 0;
  if (CAMEL_IS_NETWORK_SETTINGS (settings))
    {
      CamelNetworkSettings *network = CAMEL_NETWORK_SETTINGS (settings);

      *out_host = camel_network_settings_dup_host (network);
      *out_port = camel_network_settings_get_port (network);
      if (*out_port == 0 && CAMEL_IS_NETWORK_SERVICE (service))
        *out_port = camel_network_service_get_default_port (
          CAMEL_NETWORK_SERVICE (service), camel_network_settings_get_security_method (network));
    }
}

static CamelCertTrust
kontor_camel_session_trust_prompt (CamelSession *session,
                                   CamelService *service,
                                   GTlsCertificate *certificate,
                                   GTlsCertificateFlags errors)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (session);
  g_autofree char *host = NULL;
  g_autofree char *sha256 = kontor_certificate_dup_sha256 (certificate);
  guint16 port;

  get_host_and_port (service, &host, &port);

  if (host != NULL && kontor_trust_store_is_pinned (self->trust, host, port, certificate))
    {
      g_debug ("Accepting the certificate %s of %s:%u: pinned (TLS errors 0x%x)", sha256, host,
               port, errors);
      return CAMEL_CERT_TRUST_TEMPORARY;
    }

  g_debug ("Rejecting the certificate %s of %s:%u: not pinned (TLS errors 0x%x)", sha256,
           host ? host : "?", port, errors);
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->rejected_certificates, g_strdup (camel_service_get_uid (service)),
                        g_object_ref (certificate));
  g_mutex_unlock (&self->lock);

  /* Not CAMEL_CERT_TRUST_REJECT: Camel would remember that for the host and never ask
   * again, not even after the user pinned the certificate. */
  return CAMEL_CERT_TRUST_UNKNOWN;
}

static gboolean
kontor_camel_session_authenticate_sync (CamelSession *session,
                                        CamelService *service,
                                        const char *mechanism,
                                        GCancellable *cancellable,
                                        GError **error)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (session);
  CamelServiceAuthType *auth_type = mechanism ? camel_sasl_authtype (mechanism) : NULL;
  g_autofree char *password = camel_service_dup_password (service);
  g_autoptr (GError) local_error = NULL;
  CamelAuthenticationResult result;

  if ((auth_type == NULL || auth_type->need_password) && (password == NULL || *password == '\0'))
    {
      g_set_error (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                   _ ("No password was given"));
      return FALSE;
    }

  g_debug ("Authenticating %s with %s", camel_service_get_uid (service),
           mechanism ? mechanism : "LOGIN");
  result = camel_service_authenticate_sync (service, mechanism, cancellable, &local_error);

  switch (result)
    {
      case CAMEL_AUTHENTICATION_ACCEPTED:
        return TRUE;

      case CAMEL_AUTHENTICATION_REJECTED:
        g_mutex_lock (&self->lock);
        g_hash_table_add (self->rejected_passwords, g_strdup (camel_service_get_uid (service)));
        g_mutex_unlock (&self->lock);
        g_set_error (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                     _ ("The server rejected the user name or password"));
        return FALSE;

      case CAMEL_AUTHENTICATION_ERROR:
      default:
        if (local_error == NULL)
          g_set_error (&local_error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                       _ ("Authentication failed"));
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
    }
}

/* Asked by code paths that want a password from the user: there is no user to ask. */
static char *
kontor_camel_session_get_password (CamelSession *session,
                                   CamelService *service,
                                   const char *prompt,
                                   const char *item,
                                   guint32 flags,
                                   GError **error)
{
  char *password = camel_service_dup_password (service);

  if (password == NULL || (flags & CAMEL_SESSION_PASSWORD_REPROMPT) != 0)
    {
      g_free (password);
      g_set_error (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE,
                   _ ("No password was given"));
      return NULL;
    }
  return password;
}

static gboolean
kontor_camel_session_forget_password (CamelSession *session,
                                      CamelService *service,
                                      const char *item,
                                      GError **error)
{
  /* Nothing is stored here: passwords live in the keyring, owned by the account service. */
  return TRUE;
}

static void
kontor_camel_session_remove_service (CamelSession *session, CamelService *service)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (session);
  const char *uid = camel_service_get_uid (service);

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->rejected_certificates, uid);
  g_hash_table_remove (self->rejected_passwords, uid);
  g_mutex_unlock (&self->lock);

  CAMEL_SESSION_CLASS (kontor_camel_session_parent_class)->remove_service (session, service);
}

static void
trust_changed_cb (KontorCamelSession *self, const char *host, guint port, KontorTrustStore *trust)
{
  kontor_camel_session_forget_trust (self, host);
}

static void
kontor_camel_session_constructed (GObject *object)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (object);

  G_OBJECT_CLASS (kontor_camel_session_parent_class)->constructed (object);

  self->trust_changed_id = g_signal_connect_object (
    self->trust, "changed", G_CALLBACK (trust_changed_cb), self, G_CONNECT_SWAPPED);
  camel_session_set_online (CAMEL_SESSION (self), TRUE);
}

static void
kontor_camel_session_dispose (GObject *object)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (object);

  if (self->trust != NULL)
    g_clear_signal_handler (&self->trust_changed_id, self->trust);

  G_OBJECT_CLASS (kontor_camel_session_parent_class)->dispose (object);
}

static void
kontor_camel_session_finalize (GObject *object)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (object);

  g_clear_object (&self->trust);
  g_clear_pointer (&self->rejected_certificates, g_hash_table_unref);
  g_clear_pointer (&self->rejected_passwords, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kontor_camel_session_parent_class)->finalize (object);
}

static void
kontor_camel_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (object);

  switch (prop_id)
    {
      case PROP_TRUST_STORE:
        g_value_set_object (value, self->trust);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_camel_session_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  KontorCamelSession *self = KONTOR_CAMEL_SESSION (object);

  switch (prop_id)
    {
      case PROP_TRUST_STORE:
        self->trust = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_camel_session_class_init (KontorCamelSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CamelSessionClass *session_class = CAMEL_SESSION_CLASS (klass);

  object_class->constructed = kontor_camel_session_constructed;
  object_class->dispose = kontor_camel_session_dispose;
  object_class->finalize = kontor_camel_session_finalize;
  object_class->get_property = kontor_camel_session_get_property;
  object_class->set_property = kontor_camel_session_set_property;

  session_class->trust_prompt = kontor_camel_session_trust_prompt;
  session_class->authenticate_sync = kontor_camel_session_authenticate_sync;
  session_class->get_password = kontor_camel_session_get_password;
  session_class->forget_password = kontor_camel_session_forget_password;
  session_class->remove_service = kontor_camel_session_remove_service;

  properties[PROP_TRUST_STORE] =
    g_param_spec_object ("trust-store", NULL, NULL, KONTOR_TYPE_TRUST_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_camel_session_init (KontorCamelSession *self)
{
  g_mutex_init (&self->lock);
  self->rejected_certificates =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->rejected_passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * kontor_camel_session_new:
 * @user_data_dir: where Camel keeps its stores' data (e.g. $XDG_DATA_HOME/kontor/mail)
 * @user_cache_dir: where Camel keeps its caches (e.g. $XDG_CACHE_HOME/kontor/mail)
 * @trust: the certificates the user accepted
 *
 * Initializes Camel on first use. The session's main context is the caller's
 * thread-default one: Camel sends its notifications there.
 */
KontorCamelSession *
kontor_camel_session_new (const char *user_data_dir,
                          const char *user_cache_dir,
                          KontorTrustStore *trust)
{
  g_return_val_if_fail (user_data_dir != NULL, NULL);
  g_return_val_if_fail (user_cache_dir != NULL, NULL);
  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (trust), NULL);

  ensure_camel (user_data_dir);

  return g_object_new (KONTOR_TYPE_CAMEL_SESSION, "user-data-dir", user_data_dir, "user-cache-dir",
                       user_cache_dir, "trust-store", trust, NULL);
}

KontorTrustStore *
kontor_camel_session_get_trust_store (KontorCamelSession *self)
{
  g_return_val_if_fail (KONTOR_IS_CAMEL_SESSION (self), NULL);
  return self->trust;
}

/* Removes a folder Camel made for a temporary service. */
static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
temporary_service_finalized_cb (gpointer data, GObject *where_the_object_was)
{
  g_auto (GStrv) dirs = data;

  g_debug ("Removing the folders of a temporary service: %s", dirs[0]);
  for (guint i = 0; dirs[i] != NULL; i++)
    remove_tree (dirs[i]);
}

/**
 * kontor_camel_session_add_temporary_service:
 * @protocol: a Camel provider's protocol, e.g. "imapx" or "smtp"
 *
 * Adds a service with a new unique uid, for a check that must leave nothing behind:
 * the folders Camel makes for it are deleted once the service is finalized. Remove it
 * with camel_session_remove_service() when done.
 *
 * Returns: (transfer full): the new service, or %NULL when the provider is missing
 */
CamelService *
kontor_camel_session_add_temporary_service (KontorCamelSession *self,
                                            const char *protocol,
                                            CamelProviderType type,
                                            GError **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *uid = NULL;
  CamelService *service;
  char *dirs[3] = { NULL };

  g_return_val_if_fail (KONTOR_IS_CAMEL_SESSION (self), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uid = g_strdup_printf ("kontor-temporary-%s-%s", protocol, uuid);
  service = camel_session_add_service (CAMEL_SESSION (self), uid, protocol, type, error);
  if (service == NULL)
    return NULL;

  dirs[0] = (char *) camel_service_get_user_data_dir (service);
  dirs[1] = (char *) camel_service_get_user_cache_dir (service);
  g_object_weak_ref (G_OBJECT (service), temporary_service_finalized_cb, g_strdupv (dirs));
  return service;
}

/**
 * kontor_camel_session_dup_rejected_certificate:
 * @service_uid: the uid of a service of this session
 *
 * Returns: (transfer full) (nullable): the last certificate the service's server presented
 *   and that was refused because it was neither valid nor pinned, until the service is
 *   removed from the session
 */
GTlsCertificate *
kontor_camel_session_dup_rejected_certificate (KontorCamelSession *self, const char *service_uid)
{
  GTlsCertificate *certificate;

  g_return_val_if_fail (KONTOR_IS_CAMEL_SESSION (self), NULL);
  g_return_val_if_fail (service_uid != NULL, NULL);

  g_mutex_lock (&self->lock);
  certificate = g_hash_table_lookup (self->rejected_certificates, service_uid);
  if (certificate != NULL)
    g_object_ref (certificate);
  g_mutex_unlock (&self->lock);
  return certificate;
}

/**
 * kontor_camel_session_get_password_rejected:
 *
 * Returns: whether the server of the service refused its user name or password, as
 *   opposed to failing to authenticate for another reason
 */
gboolean
kontor_camel_session_get_password_rejected (KontorCamelSession *self, const char *service_uid)
{
  gboolean rejected;

  g_return_val_if_fail (KONTOR_IS_CAMEL_SESSION (self), FALSE);
  g_return_val_if_fail (service_uid != NULL, FALSE);

  g_mutex_lock (&self->lock);
  rejected = g_hash_table_contains (self->rejected_passwords, service_uid);
  g_mutex_unlock (&self->lock);
  return rejected;
}

/**
 * kontor_camel_session_forget_trust:
 *
 * Drops the answers Camel cached for certificates of @host, so that the next TLS
 * handshake with it asks the trust store again (which decides per port).
 */
void
kontor_camel_session_forget_trust (KontorCamelSession *self, const char *host)
{
  g_autoptr (CamelCertDB) certdb = NULL;
  GSList *certs;
  gboolean removed = FALSE;

  g_return_if_fail (KONTOR_IS_CAMEL_SESSION (self));
  g_return_if_fail (host != NULL);

  certdb = camel_certdb_get_default ();
  if (certdb == NULL)
    return;

  certs = camel_certdb_list_certs (certdb);
  for (GSList *l = certs; l != NULL; l = l->next)
    {
      CamelCert *cert = l->data;

      if (cert->hostname != NULL && g_ascii_strcasecmp (cert->hostname, host) == 0)
        {
          camel_certdb_remove_host (certdb, cert->hostname, cert->fingerprint);
          removed = TRUE;
        }
    }
  g_slist_free_full (certs, (GDestroyNotify) camel_cert_unref);

  if (removed)
    camel_certdb_save (certdb);
}
