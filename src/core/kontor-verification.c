/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-verification.c: what connecting to each of an account's services showed.
 *
 * One entry per service that was checked: fine, or a KontorError that says what the user
 * can do about it. An untrusted certificate travels with its failure so the UI (and a
 * script, through to_variant()) can show what would be trusted before anyone pins it. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-error.h"
#include "kontor-trust-store.h"
#include "kontor-verification.h"

typedef struct
{
  char *service;
  GError *error;
  GTlsCertificate *certificate;
} Entry;

struct _KontorVerification
{
  GObject parent_instance;

  /* Owned */
  GPtrArray *entries; /* Entry, in service order */
};

G_DEFINE_FINAL_TYPE (KontorVerification, kontor_verification, G_TYPE_OBJECT)

static const char *const service_order[] = {
  KONTOR_SERVICE_IMAP,    KONTOR_SERVICE_SMTP,   KONTOR_SERVICE_CALDAV,
  KONTOR_SERVICE_CARDDAV, KONTOR_SERVICE_WEBDAV,
};

static void
entry_free (Entry *entry)
{
  g_free (entry->service);
  g_clear_error (&entry->error);
  g_clear_object (&entry->certificate);
  g_free (entry);
}

static guint
service_rank (const char *service)
{
  for (guint i = 0; i < G_N_ELEMENTS (service_order); i++)
    if (g_str_equal (service, service_order[i]))
      return i;
  return G_N_ELEMENTS (service_order);
}

static Entry *
lookup (KontorVerification *self, const char *service)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->service, service))
        return entry;
    }
  return NULL;
}

static Entry *
ensure (KontorVerification *self, const char *service)
{
  Entry *entry = lookup (self, service);
  guint rank = service_rank (service);
  guint position = 0;

  if (entry != NULL)
    return entry;

  while (position < self->entries->len)
    {
      Entry *other = g_ptr_array_index (self->entries, position);

      if (service_rank (other->service) > rank)
        break;
      position++;
    }

  entry = g_new0 (Entry, 1);
  entry->service = g_strdup (service);
  g_ptr_array_insert (self->entries, position, entry);
  return entry;
}

static void
kontor_verification_finalize (GObject *object)
{
  KontorVerification *self = KONTOR_VERIFICATION (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (kontor_verification_parent_class)->finalize (object);
}

static void
kontor_verification_class_init (KontorVerificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_verification_finalize;
}

static void
kontor_verification_init (KontorVerification *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
}

KontorVerification *
kontor_verification_new (void)
{
  return g_object_new (KONTOR_TYPE_VERIFICATION, NULL);
}

void
kontor_verification_set_ok (KontorVerification *self, const char *service)
{
  Entry *entry;

  g_return_if_fail (KONTOR_IS_VERIFICATION (self));
  g_return_if_fail (service != NULL);

  entry = ensure (self, service);
  g_clear_error (&entry->error);
  g_clear_object (&entry->certificate);
}

/**
 * kontor_verification_set_error:
 * @error: why @service failed, in the KONTOR_ERROR domain
 */
void
kontor_verification_set_error (KontorVerification *self, const char *service, const GError *error)
{
  Entry *entry;

  g_return_if_fail (KONTOR_IS_VERIFICATION (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (error != NULL);

  entry = ensure (self, service);
  g_clear_error (&entry->error);
  entry->error = g_error_copy (error);
}

/**
 * kontor_verification_set_certificate:
 *
 * Attaches the certificate @service's server presented (the one a
 * CertificateUntrusted failure is about).
 */
void
kontor_verification_set_certificate (KontorVerification *self,
                                     const char *service,
                                     GTlsCertificate *certificate)
{
  Entry *entry;

  g_return_if_fail (KONTOR_IS_VERIFICATION (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  entry = ensure (self, service);
  g_set_object (&entry->certificate, certificate);
}

gboolean
kontor_verification_has_service (KontorVerification *self, const char *service)
{
  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), FALSE);
  g_return_val_if_fail (service != NULL, FALSE);

  return lookup (self, service) != NULL;
}

/**
 * kontor_verification_get_error:
 *
 * Returns: (nullable): why @service failed; %NULL when it is fine or was not checked
 */
const GError *
kontor_verification_get_error (KontorVerification *self, const char *service)
{
  Entry *entry;

  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), NULL);
  g_return_val_if_fail (service != NULL, NULL);

  entry = lookup (self, service);
  return entry ? entry->error : NULL;
}

/**
 * kontor_verification_get_certificate:
 *
 * Returns: (transfer none) (nullable): the certificate attached to @service's result
 */
GTlsCertificate *
kontor_verification_get_certificate (KontorVerification *self, const char *service)
{
  Entry *entry;

  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), NULL);
  g_return_val_if_fail (service != NULL, NULL);

  entry = lookup (self, service);
  return entry ? entry->certificate : NULL;
}

/**
 * kontor_verification_dup_services:
 *
 * Returns: (transfer full): the checked services, in service order
 */
char **
kontor_verification_dup_services (KontorVerification *self)
{
  GStrvBuilder *builder;
  char **services;

  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->entries->len; i++)
    g_strv_builder_add (builder, ((Entry *) g_ptr_array_index (self->entries, i))->service);
  services = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return services;
}

/**
 * kontor_verification_is_ok:
 *
 * Returns: whether every checked service is fine
 */
gboolean
kontor_verification_is_ok (KontorVerification *self)
{
  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    if (((Entry *) g_ptr_array_index (self->entries, i))->error != NULL)
      return FALSE;
  return TRUE;
}

/**
 * kontor_verification_dup_first_error:
 *
 * Returns: (transfer full) (nullable): a copy of the failure of the first service, in
 *   service order, that failed
 */
GError *
kontor_verification_dup_first_error (KontorVerification *self)
{
  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->error != NULL)
        return g_error_copy (entry->error);
    }
  return NULL;
}

/**
 * kontor_verification_to_variant:
 *
 * Returns: (transfer floating): an a{sv} mapping each checked service to an a{sv} with
 *   "ok" (b), on failure "error" (s, the D-Bus error name) and "message" (s), and with
 *   a certificate "certificate-pem", "certificate-subject", "certificate-issuer" and
 *   "certificate-sha256" (s)
 */
GVariant *
kontor_verification_to_variant (KontorVerification *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (KONTOR_IS_VERIFICATION (self), NULL);

  /* Registers KontorError with GDBus, so the error names below are Kontor's. */
  (void) KONTOR_ERROR;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      GVariantBuilder service;

      g_variant_builder_init (&service, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&service, "{sv}", "ok", g_variant_new_boolean (entry->error == NULL));
      if (entry->error != NULL)
        {
          g_autofree char *name = g_dbus_error_encode_gerror (entry->error);

          g_variant_builder_add (&service, "{sv}", "error", g_variant_new_string (name));
          g_variant_builder_add (&service, "{sv}", "message",
                                 g_variant_new_string (entry->error->message));
        }
      if (entry->certificate != NULL)
        {
          g_autofree char *pem = kontor_certificate_dup_pem (entry->certificate);
          g_autofree char *subject = kontor_certificate_dup_subject (entry->certificate);
          g_autofree char *issuer = kontor_certificate_dup_issuer (entry->certificate);
          g_autofree char *sha256 = kontor_certificate_dup_sha256 (entry->certificate);

          g_variant_builder_add (&service, "{sv}", "certificate-pem",
                                 g_variant_new_string (pem ? pem : ""));
          g_variant_builder_add (&service, "{sv}", "certificate-subject",
                                 g_variant_new_string (subject ? subject : ""));
          g_variant_builder_add (&service, "{sv}", "certificate-issuer",
                                 g_variant_new_string (issuer ? issuer : ""));
          g_variant_builder_add (&service, "{sv}", "certificate-sha256",
                                 g_variant_new_string (sha256 ? sha256 : ""));
        }
      g_variant_builder_add (&builder, "{sv}", entry->service, g_variant_builder_end (&service));
    }
  return g_variant_builder_end (&builder);
}
