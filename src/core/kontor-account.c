/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account.c: an immutable view of one account's sources. The account
 * service replaces it when the sources change, so readers never see half an edit. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-account-private.h"

struct _KontorAccount
{
  GObject parent_instance;

  char *id;
  char *state;
  GStrv services;
  GStrv available_services;
  gboolean read_only;
  const char *manager;
  KontorAccountSettings *settings;
};

G_DEFINE_FINAL_TYPE (KontorAccount, kontor_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_STATE,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_account_finalize (GObject *object)
{
  KontorAccount *self = KONTOR_ACCOUNT (object);

  g_free (self->id);
  g_free (self->state);
  g_strfreev (self->services);
  g_strfreev (self->available_services);
  kontor_account_settings_free (self->settings);

  G_OBJECT_CLASS (kontor_account_parent_class)->finalize (object);
}

static void
kontor_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorAccount *self = KONTOR_ACCOUNT (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_DISPLAY_NAME:
        g_value_set_string (value, kontor_account_get_display_name (self));
        break;
      case PROP_EMAIL:
        g_value_set_string (value, kontor_account_get_email (self));
        break;
      case PROP_STATE:
        g_value_set_string (value, self->state);
        break;
      case PROP_READ_ONLY:
        g_value_set_boolean (value, self->read_only);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_account_class_init (KontorAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kontor_account_finalize;
  object_class->get_property = kontor_account_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_account_init (KontorAccount *self)
{
}

static const char *
state_of (const KontorAccountSources *sources, KontorServiceFlags enabled)
{
  ESource *watched = sources->mail_account ? sources->mail_account : sources->collection;

  if (enabled == 0)
    return "disabled";

  switch (e_source_get_connection_status (watched))
    {
      case E_SOURCE_CONNECTION_STATUS_AWAITING_CREDENTIALS:
        return "awaiting-credentials";
      case E_SOURCE_CONNECTION_STATUS_SSL_FAILED:
        return "ssl-failed";
      case E_SOURCE_CONNECTION_STATUS_CONNECTING:
        return "connecting";
      case E_SOURCE_CONNECTION_STATUS_CONNECTED:
        return "connected";
      case E_SOURCE_CONNECTION_STATUS_DISCONNECTED:
      default:
        /* Nothing has connected yet (Kontor's mail engine connects later). */
        return "ready";
    }
}

KontorAccount *
kontor_account_new_from_sources (const KontorAccountSources *sources)
{
  KontorAccount *self = g_object_new (KONTOR_TYPE_ACCOUNT, NULL);
  ESource *root = sources->collection ? sources->collection : sources->mail_account;
  KontorServiceFlags enabled = kontor_account_sources_get_enabled (sources);

  self->id = e_source_dup_uid (root);
  self->settings = kontor_account_sources_read (sources);
  self->services = kontor_service_flags_to_strv (enabled);
  self->available_services =
    kontor_service_flags_to_strv (kontor_account_sources_get_available (sources));
  self->read_only = kontor_account_sources_is_read_only (sources);
  self->manager = kontor_account_sources_get_manager (sources);
  self->state = g_strdup (state_of (sources, enabled));
  return self;
}

const char *
kontor_account_get_id (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
kontor_account_get_display_name (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->settings->display_name ? self->settings->display_name : self->settings->email;
}

const char *
kontor_account_get_email (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->settings->email ? self->settings->email : "";
}

const char *
kontor_account_get_state (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->state;
}

const char *const *
kontor_account_get_services (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return (const char *const *) self->services;
}

const char *const *
kontor_account_get_available_services (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return (const char *const *) self->available_services;
}

gboolean
kontor_account_has_service (KontorAccount *self, const char *service)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  return g_strv_contains ((const char *const *) self->available_services, service);
}

gboolean
kontor_account_get_read_only (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), TRUE);
  return self->read_only;
}

/**
 * kontor_account_get_manager:
 *
 * Returns: (nullable): "goa" for an account of GNOME Online Accounts, "uoa" for
 * Ubuntu's, %NULL for one Kontor (or Evolution) manages
 */
const char *
kontor_account_get_manager (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->manager;
}

const KontorAccountSettings *
kontor_account_get_settings (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->settings;
}

static void
add_string (GVariantBuilder *builder, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
}

/* The settings as Accounts1 shows them (Discover and List). */
GVariant *
kontor_account_settings_to_variant (const KontorAccountSettings *settings)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_string (&builder, "email", settings->email);
  add_string (&builder, "display-name", settings->display_name);
  add_string (&builder, "full-name", settings->full_name);
  add_string (&builder, "username", kontor_account_settings_get_login (settings));
  if (settings->imap_host != NULL)
    {
      add_string (&builder, "imap-host", settings->imap_host);
      g_variant_builder_add (&builder, "{sv}", "imap-port",
                             g_variant_new_uint32 (settings->imap_port));
      add_string (&builder, "imap-security", kontor_security_to_string (settings->imap_security));
    }
  if (settings->smtp_host != NULL)
    {
      add_string (&builder, "smtp-host", settings->smtp_host);
      g_variant_builder_add (&builder, "{sv}", "smtp-port",
                             g_variant_new_uint32 (settings->smtp_port));
      add_string (&builder, "smtp-security", kontor_security_to_string (settings->smtp_security));
    }
  add_string (&builder, "caldav-url", settings->caldav_url);
  add_string (&builder, "carddav-url", settings->carddav_url);
  add_string (&builder, "webdav-url", settings->webdav_url);
  if (settings->caldav_url || settings->carddav_url || settings->webdav_url)
    add_string (&builder, "dav-username", kontor_account_settings_get_dav_login (settings));
  add_string (&builder, "origin", settings->origin);
  if (settings->aliases != NULL && settings->aliases[0] != NULL)
    g_variant_builder_add (&builder, "{sv}", "aliases",
                           g_variant_new_strv ((const char *const *) settings->aliases, -1));
  add_string (&builder, "signature-uid", settings->signature_uid);
  return g_variant_builder_end (&builder);
}

GVariant *
kontor_account_to_variant (KontorAccount *self)
{
  g_autoptr (GVariant) settings = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  settings = g_variant_ref_sink (kontor_account_settings_to_variant (self->settings));
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (g_strcmp0 (key, "display-name") != 0 && g_strcmp0 (key, "email") != 0)
        g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (self->id));
  g_variant_builder_add (&builder, "{sv}", "display-name",
                         g_variant_new_string (kontor_account_get_display_name (self) ?: ""));
  g_variant_builder_add (&builder, "{sv}", "email",
                         g_variant_new_string (kontor_account_get_email (self)));
  g_variant_builder_add (&builder, "{sv}", "services",
                         g_variant_new_strv ((const char *const *) self->services, -1));
  g_variant_builder_add (&builder, "{sv}", "available-services",
                         g_variant_new_strv ((const char *const *) self->available_services, -1));
  g_variant_builder_add (&builder, "{sv}", "state", g_variant_new_string (self->state));
  g_variant_builder_add (&builder, "{sv}", "read-only", g_variant_new_boolean (self->read_only));
  if (self->manager != NULL)
    g_variant_builder_add (&builder, "{sv}", "managed-by", g_variant_new_string (self->manager));
  return g_variant_builder_end (&builder);
}
