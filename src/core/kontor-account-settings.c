/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-settings.c: the settings record, its defaults and the checks that
 * keep an account from ever talking plain text to a remote host. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-account-settings.h"
#include "kontor-error.h"

G_DEFINE_BOXED_TYPE (KontorAccountSettings,
                     kontor_account_settings,
                     kontor_account_settings_copy,
                     kontor_account_settings_free)

KontorAccountSettings *
kontor_account_settings_new (const char *email)
{
  KontorAccountSettings *self = g_new0 (KontorAccountSettings, 1);

  self->email = g_strdup (email);
  self->imap_port = 993;
  self->imap_security = KONTOR_SECURITY_TLS;
  self->smtp_port = 587;
  self->smtp_security = KONTOR_SECURITY_STARTTLS;
  return self;
}

KontorAccountSettings *
kontor_account_settings_copy (const KontorAccountSettings *self)
{
  KontorAccountSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->email = g_strdup (self->email);
  copy->display_name = g_strdup (self->display_name);
  copy->full_name = g_strdup (self->full_name);
  copy->username = g_strdup (self->username);
  copy->imap_host = g_strdup (self->imap_host);
  copy->smtp_host = g_strdup (self->smtp_host);
  copy->caldav_url = g_strdup (self->caldav_url);
  copy->carddav_url = g_strdup (self->carddav_url);
  copy->webdav_url = g_strdup (self->webdav_url);
  copy->dav_username = g_strdup (self->dav_username);
  copy->trusted_certificate = g_strdup (self->trusted_certificate);
  copy->origin = g_strdup (self->origin);
  copy->aliases = g_strdupv (self->aliases);
  copy->signature_uid = g_strdup (self->signature_uid);
  return copy;
}

void
kontor_account_settings_free (KontorAccountSettings *self)
{
  if (self == NULL)
    return;

  g_free (self->email);
  g_free (self->display_name);
  g_free (self->full_name);
  g_free (self->username);
  g_free (self->imap_host);
  g_free (self->smtp_host);
  g_free (self->caldav_url);
  g_free (self->carddav_url);
  g_free (self->webdav_url);
  g_free (self->dav_username);
  g_free (self->trusted_certificate);
  g_free (self->origin);
  g_strfreev (self->aliases);
  g_free (self->signature_uid);
  g_free (self);
}

const char *
kontor_account_settings_get_login (const KontorAccountSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->username != NULL && *self->username != '\0' ? self->username : self->email;
}

const char *
kontor_account_settings_get_dav_login (const KontorAccountSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dav_username != NULL && *self->dav_username != '\0'
           ? self->dav_username
           : kontor_account_settings_get_login (self);
}

/* The part after the last "@", lower-cased; NULL for an invalid address. */
char *
kontor_account_settings_dup_domain (const KontorAccountSettings *self)
{
  const char *at;

  g_return_val_if_fail (self != NULL, NULL);

  if (!kontor_email_is_valid (self->email))
    return NULL;
  at = strrchr (self->email, '@');
  return g_ascii_strdown (at + 1, -1);
}

const char *
kontor_security_to_string (KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_TLS:
        return "tls";
      case KONTOR_SECURITY_STARTTLS:
        return "starttls";
      case KONTOR_SECURITY_NONE:
      default:
        return "none";
    }
}

gboolean
kontor_security_from_string (const char *text, KontorSecurity *out_security)
{
  static const char *const names[] = { "tls", "starttls", "none" };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *out_security = (KontorSecurity) i;
        return TRUE;
      }
  return FALSE;
}

/* Only these may ever be reached without TLS, and only when the user says so. */
gboolean
kontor_host_is_local (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
kontor_email_is_valid (const char *email)
{
  const char *at;

  if (email == NULL || strchr (email, ' ') != NULL)
    return FALSE;
  at = strrchr (email, '@');
  return at != NULL && at != email && at[1] != '\0' && strchr (at, '.') != NULL &&
         at[strlen (at) - 1] != '.';
}

static gboolean
take_string (GVariantDict *dict, const char *key, char **field, GError **error)
{
  GVariant *value = g_variant_dict_lookup_value (dict, key, NULL);

  if (value == NULL)
    return TRUE;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The option “%s” must be a string"), key);
      g_variant_unref (value);
      return FALSE;
    }
  g_free (*field);
  *field = g_variant_dup_string (value, NULL);
  g_variant_unref (value);
  g_variant_dict_remove (dict, key);
  return TRUE;
}

static gboolean
take_port (GVariantDict *dict, const char *key, guint16 *field, GError **error)
{
  GVariant *value = g_variant_dict_lookup_value (dict, key, NULL);
  guint64 port = 0;

  if (value == NULL)
    return TRUE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    port = g_variant_get_uint32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) && g_variant_get_int32 (value) > 0)
    port = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT16))
    port = g_variant_get_uint16 (value);
  g_variant_unref (value);
  g_variant_dict_remove (dict, key);

  if (port == 0 || port > 65535)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The option “%s” must be a port number from 1 to 65535"), key);
      return FALSE;
    }
  *field = (guint16) port;
  return TRUE;
}

static gboolean
take_security (GVariantDict *dict, const char *key, KontorSecurity *field, GError **error)
{
  g_autofree char *text = NULL;

  if (!take_string (dict, key, &text, error))
    return FALSE;
  if (text != NULL && !kontor_security_from_string (text, field))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The option “%s” must be “tls”, “starttls” or “none”"), key);
      return FALSE;
    }
  return TRUE;
}

/**
 * kontor_account_settings_apply_options:
 * @options: an a{sv} as taken by Accounts1.Add (display-name, imap-host, ...)
 *
 * Overrides settings with the options a user or script gave. Keys that are not
 * settings (passwords, preset) are left for the caller; an unknown key or a value of
 * the wrong type is an InvalidArgument error.
 */
gboolean
kontor_account_settings_apply_options (KontorAccountSettings *self,
                                       GVariant *options,
                                       GError **error)
{
  static const char *const other_keys[] = { "preset", "password", "dav-password", "files-password",
                                            NULL };
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (options);
  g_autoptr (GVariant) rest = NULL;
  GVariantIter iter;
  const char *key;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (options == NULL || g_variant_is_of_type (options, G_VARIANT_TYPE_VARDICT),
                        FALSE);

  if (!take_string (&dict, "display-name", &self->display_name, error) ||
      !take_string (&dict, "full-name", &self->full_name, error) ||
      !take_string (&dict, "username", &self->username, error) ||
      !take_string (&dict, "imap-host", &self->imap_host, error) ||
      !take_port (&dict, "imap-port", &self->imap_port, error) ||
      !take_security (&dict, "imap-security", &self->imap_security, error) ||
      !take_string (&dict, "smtp-host", &self->smtp_host, error) ||
      !take_port (&dict, "smtp-port", &self->smtp_port, error) ||
      !take_security (&dict, "smtp-security", &self->smtp_security, error) ||
      !take_string (&dict, "caldav-url", &self->caldav_url, error) ||
      !take_string (&dict, "carddav-url", &self->carddav_url, error) ||
      !take_string (&dict, "webdav-url", &self->webdav_url, error) ||
      !take_string (&dict, "dav-username", &self->dav_username, error) ||
      !take_string (&dict, "trusted-certificate", &self->trusted_certificate, error))
    return FALSE;

  rest = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_variant_iter_init (&iter, rest);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    if (!g_strv_contains (other_keys, key))
      {
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT, _ ("Unknown option “%s”"),
                     key);
        return FALSE;
      }
  return TRUE;
}

/* An empty URL given as an option means "leave this service out". */
void
kontor_account_settings_drop_empty_urls (KontorAccountSettings *self)
{
  char **urls[] = { &self->caldav_url, &self->carddav_url, &self->webdav_url };

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    if (*urls[i] != NULL && **urls[i] == '\0')
      g_clear_pointer (urls[i], g_free);
}

static gboolean
validate_url (const char *url, const char *what, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The %s address “%s” is not an http or https URL"), what, url);
      return FALSE;
    }
  if (g_strcmp0 (scheme, "http") == 0 && !kontor_host_is_local (g_uri_get_host (uri)))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                   _ ("The %s address “%s” is not encrypted; use https"), what, url);
      return FALSE;
    }
  return TRUE;
}

/**
 * kontor_account_settings_validate:
 *
 * Checks what can be checked without a network: an address, hosts, and that nothing
 * goes unencrypted to a host that is not this computer.
 */
gboolean
kontor_account_settings_validate (const KontorAccountSettings *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!kontor_email_is_valid (self->email))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an e-mail address"), self->email ? self->email : "");
      return FALSE;
    }

  if (self->imap_host != NULL && self->imap_security == KONTOR_SECURITY_NONE &&
      !kontor_host_is_local (self->imap_host))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                   _ ("Plain-text IMAP is only allowed to this computer, not to %s"),
                   self->imap_host);
      return FALSE;
    }
  if (self->smtp_host != NULL && self->smtp_security == KONTOR_SECURITY_NONE &&
      !kontor_host_is_local (self->smtp_host))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                   _ ("Plain-text SMTP is only allowed to this computer, not to %s"),
                   self->smtp_host);
      return FALSE;
    }

  return validate_url (self->caldav_url, "CalDAV", error) &&
         validate_url (self->carddav_url, "CardDAV", error) &&
         validate_url (self->webdav_url, "WebDAV", error);
}
