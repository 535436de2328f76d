/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-trust-store.c: the certificates a user accepted, each pinned to one host and port.
 *
 * A certificate that the system's CAs do not vouch for is only ever trusted because a
 * user looked at it (subject, issuer, SHA-256 fingerprint) and said yes for one server.
 * The decision is kept in a key file, one group per "host:port", holding the fingerprint
 * and the PEM, so a later connection trusts exactly that certificate and nothing else.
 * Camel's worker threads ask the store during TLS handshakes: every method is thread-safe. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kontor-error.h"
#include "kontor-trust-store.h"

struct _KontorTrustStore
{
  GObject parent_instance;

  /* Owned */
  char *path;
  GMutex lock; /* guards key_file */
  GKeyFile *key_file;
};

G_DEFINE_FINAL_TYPE (KontorTrustStore, kontor_trust_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GBytes *
dup_der (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_bytes_new (der->data, der->len);
}

/**
 * kontor_certificate_dup_sha256:
 *
 * Returns: the SHA-256 fingerprint of the DER encoding, as colon-separated upper-case
 *   hex pairs, the way `openssl x509 -fingerprint -sha256` and browsers show it.
 */
char *
kontor_certificate_dup_sha256 (GTlsCertificate *certificate)
{
  g_autoptr (GBytes) der = NULL;
  g_autoptr (GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;
  GString *text;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  der = dup_der (certificate);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, digest, &length);

  text = g_string_sized_new (length * 3);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (text, FALSE);
}

char *
kontor_certificate_dup_pem (GTlsCertificate *certificate)
{
  char *pem = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate-pem", &pem, NULL);
  return pem;
}

/* The distinguished names as GnuTLS prints them ("CN=localhost,O=..."). */
char *
kontor_certificate_dup_subject (GTlsCertificate *certificate)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  return g_tls_certificate_get_subject_name (certificate);
}

char *
kontor_certificate_dup_issuer (GTlsCertificate *certificate)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  return g_tls_certificate_get_issuer_name (certificate);
}

static char *
dup_group (const char *host, guint16 port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  /* Unambiguous: the port is what follows the last colon, also for IPv6 hosts. */
  return g_strdup_printf ("%s:%u", lower, (guint) port);
}

static void
load (KontorTrustStore *self)
{
  g_autoptr (GError) error = NULL;

  if (!g_key_file_load_from_file (self->key_file, self->path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    /* Nothing is trusted then: failing closed, the user is asked again. */
    g_warning ("Ignoring the trusted certificates in %s: %s", self->path, error->message);
}

/* Called with the lock held. */
static gboolean
save_locked (KontorTrustStore *self, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                   _ ("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (self->key_file, &length, NULL);
  if (!g_file_set_contents (self->path, data, length, error))
    {
      g_prefix_error (error, _ ("Could not save the trusted certificates: "));
      return FALSE;
    }
  return TRUE;
}

static void
kontor_trust_store_constructed (GObject *object)
{
  KontorTrustStore *self = KONTOR_TRUST_STORE (object);

  G_OBJECT_CLASS (kontor_trust_store_parent_class)->constructed (object);

  load (self);
}

static void
kontor_trust_store_finalize (GObject *object)
{
  KontorTrustStore *self = KONTOR_TRUST_STORE (object);

  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kontor_trust_store_parent_class)->finalize (object);
}

static void
kontor_trust_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorTrustStore *self = KONTOR_TRUST_STORE (object);

  switch (prop_id)
    {
      case PROP_PATH:
        g_value_set_string (value, self->path);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_trust_store_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  KontorTrustStore *self = KONTOR_TRUST_STORE (object);

  switch (prop_id)
    {
      case PROP_PATH:
        self->path = g_value_dup_string (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_trust_store_class_init (KontorTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kontor_trust_store_constructed;
  object_class->finalize = kontor_trust_store_finalize;
  object_class->get_property = kontor_trust_store_get_property;
  object_class->set_property = kontor_trust_store_set_property;

  /**
   * KontorTrustStore:path:
   *
   * The key file that keeps the pins, e.g.
   * $XDG_CONFIG_HOME/kontor/trusted-certificates.ini.
   */
  properties[PROP_PATH] = g_param_spec_string (
    "path", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KontorTrustStore::changed:
   * @host: the host whose pin changed
   * @port: its port
   *
   * Emitted in the thread that pinned or unpinned, after the file was saved.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
kontor_trust_store_init (KontorTrustStore *self)
{
  g_mutex_init (&self->lock);
  self->key_file = g_key_file_new ();
}

KontorTrustStore *
kontor_trust_store_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (KONTOR_TYPE_TRUST_STORE, "path", path, NULL);
}

const char *
kontor_trust_store_get_path (KontorTrustStore *self)
{
  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (self), NULL);
  return self->path;
}

/**
 * kontor_trust_store_is_pinned:
 *
 * Returns: whether the user accepted exactly @certificate for @host:@port.
 */
gboolean
kontor_trust_store_is_pinned (KontorTrustStore *self,
                              const char *host,
                              guint16 port,
                              GTlsCertificate *certificate)
{
  g_autofree char *group = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  group = dup_group (host, port);
  g_mutex_lock (&self->lock);
  pinned = g_key_file_get_string (self->key_file, group, "sha256", NULL);
  g_mutex_unlock (&self->lock);

  if (pinned == NULL)
    return FALSE;
  sha256 = kontor_certificate_dup_sha256 (certificate);
  return sha256 != NULL && g_ascii_strcasecmp (pinned, sha256) == 0;
}

/**
 * kontor_trust_store_dup_certificate:
 *
 * Returns: (transfer full) (nullable): the certificate pinned for @host:@port
 */
GTlsCertificate *
kontor_trust_store_dup_certificate (KontorTrustStore *self, const char *host, guint16 port)
{
  g_autofree char *group = NULL;
  g_autofree char *pem = NULL;
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  group = dup_group (host, port);
  g_mutex_lock (&self->lock);
  pem = g_key_file_get_string (self->key_file, group, "certificate", NULL);
  g_mutex_unlock (&self->lock);

  if (pem == NULL)
    return NULL;
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  if (certificate == NULL)
    g_debug ("The certificate pinned for %s is unreadable: %s", group, error->message);
  return certificate;
}

/**
 * kontor_trust_store_pin:
 *
 * Trusts @certificate for @host:@port from now on, replacing any certificate pinned
 * there before, and saves the store.
 */
gboolean
kontor_trust_store_pin (KontorTrustStore *self,
                        const char *host,
                        guint16 port,
                        GTlsCertificate *certificate,
                        GError **error)
{
  g_autofree char *group = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *lower = NULL;
  gboolean saved;

  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL && *host != '\0', FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sha256 = kontor_certificate_dup_sha256 (certificate);
  pem = kontor_certificate_dup_pem (certificate);
  if (sha256 == NULL || pem == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The certificate for %s cannot be read"), host);
      return FALSE;
    }

  group = dup_group (host, port);
  lower = g_ascii_strdown (host, -1);
  g_mutex_lock (&self->lock);
  g_key_file_remove_group (self->key_file, group, NULL);
  g_key_file_set_string (self->key_file, group, "host", lower);
  g_key_file_set_integer (self->key_file, group, "port", port);
  g_key_file_set_string (self->key_file, group, "sha256", sha256);
  g_key_file_set_string (self->key_file, group, "certificate", pem);
  saved = save_locked (self, error);
  g_mutex_unlock (&self->lock);

  g_debug ("Pinned certificate %s for %s", sha256, group);
  g_signal_emit (self, signals[CHANGED], 0, lower, (guint) port);
  return saved;
}

/**
 * kontor_trust_store_unpin:
 *
 * Forgets the certificate pinned for @host:@port, if any, and saves the store.
 */
gboolean
kontor_trust_store_unpin (KontorTrustStore *self, const char *host, guint16 port, GError **error)
{
  g_autofree char *group = NULL;
  g_autofree char *lower = NULL;
  gboolean saved = TRUE;

  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  group = dup_group (host, port);
  lower = g_ascii_strdown (host, -1);
  g_mutex_lock (&self->lock);
  if (g_key_file_remove_group (self->key_file, group, NULL))
    saved = save_locked (self, error);
  g_mutex_unlock (&self->lock);

  g_debug ("Unpinned the certificate of %s", group);
  g_signal_emit (self, signals[CHANGED], 0, lower, (guint) port);
  return saved;
}
