/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-sources.c: an account is a "webdav" collection source (whose EDS
 * backend finds the calendars and address books under its CalDAV and CardDAV URLs)
 * with children: the IMAP account, the identity, the SMTP transport and, for files, a
 * WebDAV source. Mail accounts made by Evolution without a collection are read the
 * same way, from the mail account source. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <camel/camel.h>

#include "kontor-account-sources.h"

void
kontor_account_sources_ensure_types (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      e_source_camel_register_types ();
      g_once_init_leave (&done, 1);
    }
}

static CamelNetworkSecurityMethod
to_camel_security (KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_TLS:
        return CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT;
      case KONTOR_SECURITY_STARTTLS:
        return CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT;
      case KONTOR_SECURITY_NONE:
      default:
        return CAMEL_NETWORK_SECURITY_METHOD_NONE;
    }
}

static KontorSecurity
from_camel_security (CamelNetworkSecurityMethod method)
{
  switch (method)
    {
      case CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT:
        return KONTOR_SECURITY_TLS;
      case CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT:
        return KONTOR_SECURITY_STARTTLS;
      case CAMEL_NETWORK_SECURITY_METHOD_NONE:
      default:
        return KONTOR_SECURITY_NONE;
    }
}

static CamelSettings *
camel_settings (ESource *source, const char *provider)
{
  ESourceCamel *extension =
    e_source_get_extension (source, e_source_camel_get_extension_name (provider));

  return e_source_camel_get_settings (extension);
}

static void
set_network (ESource *source,
             const char *provider,
             const char *host,
             guint16 port,
             const char *user,
             KontorSecurity security)
{
  CamelSettings *settings = camel_settings (source, provider);

  g_object_set (settings, "host", host, "port", (guint) port, "user", user, "security-method",
                to_camel_security (security), NULL);
}

static void
set_authentication (ESource *source, const char *url, const char *user)
{
  ESourceAuthentication *auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  e_source_authentication_set_user (auth, user);
  e_source_authentication_set_method (auth, "plain/password");
  if (uri != NULL)
    {
      e_source_authentication_set_host (auth, g_uri_get_host (uri));
      if (g_uri_get_port (uri) > 0)
        e_source_authentication_set_port (auth, g_uri_get_port (uri));
    }
}

static ESource *
new_child (ESource *parent, const char *display_name)
{
  ESource *source = e_source_new (NULL, NULL, NULL);

  e_source_set_parent (source, e_source_get_uid (parent));
  e_source_set_display_name (source, display_name);
  return source;
}

/**
 * kontor_account_sources_build:
 * @out_sources: (out caller-allocates): the new sources by role, referenced
 *
 * Returns: (transfer full): the new sources in the order to create them (the
 * collection first), ready for e_source_registry_create_sources().
 */
GList *
kontor_account_sources_build (const KontorAccountSettings *settings,
                              KontorAccountSources *out_sources)
{
  const char *name = settings->display_name ? settings->display_name : settings->email;
  const char *login = kontor_account_settings_get_login (settings);
  const char *dav_login = kontor_account_settings_get_dav_login (settings);
  gboolean has_mail = settings->imap_host != NULL;
  ESourceCollection *collection_ext;
  ESource *collection;
  GList *list = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (out_sources != NULL, NULL);

  kontor_account_sources_ensure_types ();
  memset (out_sources, 0, sizeof *out_sources);

  collection = e_source_new (NULL, NULL, NULL);
  e_source_set_display_name (collection, name);
  collection_ext = e_source_get_extension (collection, E_SOURCE_EXTENSION_COLLECTION);
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (collection_ext), "webdav");
  e_source_collection_set_identity (collection_ext, dav_login);
  e_source_collection_set_calendar_url (collection_ext, settings->caldav_url);
  e_source_collection_set_contacts_url (collection_ext, settings->carddav_url);
  e_source_collection_set_calendar_enabled (collection_ext, settings->caldav_url != NULL);
  e_source_collection_set_contacts_enabled (collection_ext, settings->carddav_url != NULL);
  e_source_collection_set_mail_enabled (collection_ext, has_mail);
  e_source_resource_set_identity (e_source_get_extension (collection, E_SOURCE_EXTENSION_RESOURCE),
                                  KONTOR_ACCOUNT_MARK);
  set_authentication (
    collection, settings->caldav_url ? settings->caldav_url : settings->carddav_url, dav_login);
  out_sources->collection = collection;
  list = g_list_append (list, g_object_ref (collection));

  if (has_mail)
    {
      ESource *account = new_child (collection, settings->email);
      ESource *identity = new_child (collection, settings->email);
      ESource *transport = new_child (collection, settings->email);
      ESourceMailAccount *account_ext =
        e_source_get_extension (account, E_SOURCE_EXTENSION_MAIL_ACCOUNT);
      ESourceMailIdentity *identity_ext =
        e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
      ESourceMailSubmission *submission =
        e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_SUBMISSION);
      ESourceMailTransport *transport_ext =
        e_source_get_extension (transport, E_SOURCE_EXTENSION_MAIL_TRANSPORT);

      e_source_backend_set_backend_name (E_SOURCE_BACKEND (account_ext), "imapx");
      e_source_mail_account_set_identity_uid (account_ext, e_source_get_uid (identity));
      set_network (account, "imapx", settings->imap_host, settings->imap_port, login,
                   settings->imap_security);
      /* A full offline copy is the point: keep the account synchronized. */
      e_source_offline_set_stay_synchronized (
        e_source_get_extension (account, E_SOURCE_EXTENSION_OFFLINE), TRUE);

      e_source_mail_identity_set_address (identity_ext, settings->email);
      e_source_mail_identity_set_name (identity_ext, settings->full_name ? settings->full_name
                                                                         : settings->display_name);
      e_source_mail_submission_set_transport_uid (submission, e_source_get_uid (transport));

      e_source_backend_set_backend_name (E_SOURCE_BACKEND (transport_ext), "smtp");
      if (settings->smtp_host != NULL)
        set_network (transport, "smtp", settings->smtp_host, settings->smtp_port, login,
                     settings->smtp_security);
      else
        e_source_set_enabled (transport, FALSE);

      out_sources->mail_account = account;
      out_sources->identity = identity;
      out_sources->transport = transport;
      list = g_list_append (list, g_object_ref (account));
      list = g_list_append (list, g_object_ref (identity));
      list = g_list_append (list, g_object_ref (transport));
    }

  if (settings->webdav_url != NULL)
    {
      ESource *files = new_child (collection, name);
      ESourceWebdav *webdav = e_source_get_extension (files, E_SOURCE_EXTENSION_WEBDAV_BACKEND);
      g_autoptr (GUri) uri = g_uri_parse (settings->webdav_url, G_URI_FLAGS_NONE, NULL);

      e_source_webdav_set_uri (webdav, uri);
      set_authentication (files, settings->webdav_url, dav_login);
      e_source_resource_set_identity (e_source_get_extension (files, E_SOURCE_EXTENSION_RESOURCE),
                                      KONTOR_FILES_MARK);
      out_sources->files = files;
      list = g_list_append (list, g_object_ref (files));
    }

  return list;
}

/**
 * kontor_account_sources_apply:
 *
 * Writes @settings into existing sources (not yet to disk: the caller writes each
 * source). A files source is neither created nor removed here.
 */
void
kontor_account_sources_apply (const KontorAccountSources *sources,
                              const KontorAccountSettings *settings)
{
  const char *name = settings->display_name ? settings->display_name : settings->email;
  const char *login = kontor_account_settings_get_login (settings);
  const char *dav_login = kontor_account_settings_get_dav_login (settings);

  kontor_account_sources_ensure_types ();

  if (sources->collection != NULL)
    {
      ESourceCollection *collection =
        e_source_get_extension (sources->collection, E_SOURCE_EXTENSION_COLLECTION);

      e_source_set_display_name (sources->collection, name);
      e_source_collection_set_identity (collection, dav_login);
      e_source_collection_set_calendar_url (collection, settings->caldav_url);
      e_source_collection_set_contacts_url (collection, settings->carddav_url);
      if (settings->caldav_url == NULL)
        e_source_collection_set_calendar_enabled (collection, FALSE);
      if (settings->carddav_url == NULL)
        e_source_collection_set_contacts_enabled (collection, FALSE);
      set_authentication (sources->collection,
                          settings->caldav_url ? settings->caldav_url : settings->carddav_url,
                          dav_login);
    }
  if (sources->mail_account != NULL && settings->imap_host != NULL)
    set_network (sources->mail_account, "imapx", settings->imap_host, settings->imap_port, login,
                 settings->imap_security);
  if (sources->transport != NULL && settings->smtp_host != NULL)
    set_network (sources->transport, "smtp", settings->smtp_host, settings->smtp_port, login,
                 settings->smtp_security);
  if (sources->identity != NULL && settings->full_name != NULL)
    e_source_mail_identity_set_name (
      e_source_get_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY),
      settings->full_name);
  if (sources->files != NULL && settings->webdav_url != NULL)
    {
      g_autoptr (GUri) uri = g_uri_parse (settings->webdav_url, G_URI_FLAGS_NONE, NULL);

      e_source_webdav_set_uri (
        e_source_get_extension (sources->files, E_SOURCE_EXTENSION_WEBDAV_BACKEND), uri);
      set_authentication (sources->files, settings->webdav_url, dav_login);
    }
}

static gboolean
has_mark (ESource *source, const char *mark)
{
  return e_source_has_extension (source, E_SOURCE_EXTENSION_RESOURCE) &&
         g_strcmp0 (e_source_resource_get_identity (
                      e_source_get_extension (source, E_SOURCE_EXTENSION_RESOURCE)),
                    mark) == 0;
}

/* A files source taken out of its account keeps existing (a client may not remove a
 * collection's child), marked as taken out. */
static gboolean
has_files_url (ESource *files)
{
  return has_mark (files, KONTOR_FILES_MARK);
}

/**
 * kontor_account_sources_lookup:
 * @root: a collection source, or a mail account source without a collection
 */
void
kontor_account_sources_lookup (ESourceRegistry *registry,
                               ESource *root,
                               KontorAccountSources *out_sources)
{
  g_autolist (ESource) children = NULL;

  memset (out_sources, 0, sizeof *out_sources);

  if (e_source_has_extension (root, E_SOURCE_EXTENSION_MAIL_ACCOUNT))
    out_sources->mail_account = g_object_ref (root);
  else
    {
      out_sources->collection = g_object_ref (root);
      children = e_source_registry_list_sources (registry, NULL);
      for (GList *l = children; l != NULL; l = l->next)
        {
          ESource *child = l->data;

          if (g_strcmp0 (e_source_get_parent (child), e_source_get_uid (root)) != 0)
            continue;
          if (e_source_has_extension (child, E_SOURCE_EXTENSION_MAIL_ACCOUNT) &&
              out_sources->mail_account == NULL)
            out_sources->mail_account = g_object_ref (child);
          else if ((has_mark (child, KONTOR_FILES_MARK) ||
                    has_mark (child, KONTOR_FILES_REMOVED_MARK)) &&
                   out_sources->files == NULL)
            out_sources->files = g_object_ref (child);
        }
    }

  if (out_sources->mail_account != NULL)
    {
      ESourceMailAccount *account =
        e_source_get_extension (out_sources->mail_account, E_SOURCE_EXTENSION_MAIL_ACCOUNT);
      const char *identity_uid = e_source_mail_account_get_identity_uid (account);

      out_sources->identity =
        identity_uid ? e_source_registry_ref_source (registry, identity_uid) : NULL;
      if (out_sources->identity != NULL &&
          e_source_has_extension (out_sources->identity, E_SOURCE_EXTENSION_MAIL_SUBMISSION))
        {
          ESourceMailSubmission *submission =
            e_source_get_extension (out_sources->identity, E_SOURCE_EXTENSION_MAIL_SUBMISSION);
          const char *transport_uid = e_source_mail_submission_get_transport_uid (submission);

          out_sources->transport =
            transport_uid ? e_source_registry_ref_source (registry, transport_uid) : NULL;
        }
    }
}

void
kontor_account_sources_clear (KontorAccountSources *sources)
{
  g_clear_object (&sources->collection);
  g_clear_object (&sources->mail_account);
  g_clear_object (&sources->identity);
  g_clear_object (&sources->transport);
  g_clear_object (&sources->files);
}

static void
read_network (ESource *source,
              const char *provider,
              char **host,
              guint16 *port,
              char **user,
              KontorSecurity *security)
{
  CamelNetworkSettings *settings;

  if (source == NULL ||
      !e_source_has_extension (source, e_source_camel_get_extension_name (provider)))
    return;

  settings = CAMEL_NETWORK_SETTINGS (camel_settings (source, provider));
  *host = camel_network_settings_dup_host (settings);
  *port = camel_network_settings_get_port (settings);
  if (user != NULL && *user == NULL)
    *user = camel_network_settings_dup_user (settings);
  *security = from_camel_security (camel_network_settings_get_security_method (settings));
}

/* The stored settings, as Accounts1.List shows them and Verify uses them. */
KontorAccountSettings *
kontor_account_sources_read (const KontorAccountSources *sources)
{
  KontorAccountSettings *settings = kontor_account_settings_new (NULL);

  kontor_account_sources_ensure_types ();

  if (sources->identity != NULL &&
      e_source_has_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY))
    {
      ESourceMailIdentity *identity =
        e_source_get_extension (sources->identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);

      settings->email = e_source_mail_identity_dup_address (identity);
      settings->full_name = e_source_mail_identity_dup_name (identity);
      settings->aliases = kontor_account_sources_dup_aliases (sources);
      settings->signature_uid = e_source_mail_identity_dup_signature_uid (identity);
    }

  if (sources->collection != NULL)
    {
      ESourceCollection *collection =
        e_source_get_extension (sources->collection, E_SOURCE_EXTENSION_COLLECTION);

      settings->display_name = e_source_dup_display_name (sources->collection);
      settings->caldav_url = e_source_collection_dup_calendar_url (collection);
      settings->carddav_url = e_source_collection_dup_contacts_url (collection);
      settings->dav_username = e_source_collection_dup_identity (collection);
      if (settings->email == NULL)
        settings->email = e_source_collection_dup_identity (collection);
      if (settings->caldav_url != NULL && *settings->caldav_url == '\0')
        g_clear_pointer (&settings->caldav_url, g_free);
      if (settings->carddav_url != NULL && *settings->carddav_url == '\0')
        g_clear_pointer (&settings->carddav_url, g_free);
    }

  read_network (sources->mail_account, "imapx", &settings->imap_host, &settings->imap_port,
                &settings->username, &settings->imap_security);
  read_network (sources->transport, "smtp", &settings->smtp_host, &settings->smtp_port, NULL,
                &settings->smtp_security);

  if (sources->files != NULL && has_files_url (sources->files))
    {
      ESourceWebdav *webdav =
        e_source_get_extension (sources->files, E_SOURCE_EXTENSION_WEBDAV_BACKEND);
      g_autoptr (GUri) uri = e_source_webdav_dup_uri (webdav);

      settings->webdav_url = uri ? g_uri_to_string (uri) : NULL;
    }

  if (settings->display_name == NULL && sources->mail_account != NULL)
    settings->display_name = e_source_dup_display_name (sources->mail_account);
  if (settings->full_name == NULL)
    settings->full_name = g_strdup (settings->display_name);
  return settings;
}

KontorServiceFlags
kontor_account_sources_get_available (const KontorAccountSources *sources)
{
  KontorServiceFlags flags = 0;

  if (sources->mail_account != NULL)
    flags |= KONTOR_SERVICE_MAIL;
  if (sources->files != NULL && has_files_url (sources->files))
    flags |= KONTOR_SERVICE_FILES;
  if (sources->collection != NULL)
    {
      ESourceCollection *collection =
        e_source_get_extension (sources->collection, E_SOURCE_EXTENSION_COLLECTION);
      const char *calendar = e_source_collection_get_calendar_url (collection);
      const char *contacts = e_source_collection_get_contacts_url (collection);

      /* An account made elsewhere (GNOME Online Accounts) may have no URLs but its
       * backend still serves calendars: trust its flags then. */
      if ((calendar != NULL && *calendar != '\0') ||
          !has_mark (sources->collection, KONTOR_ACCOUNT_MARK))
        flags |= KONTOR_SERVICE_CALENDAR;
      if ((contacts != NULL && *contacts != '\0') ||
          !has_mark (sources->collection, KONTOR_ACCOUNT_MARK))
        flags |= KONTOR_SERVICE_CONTACTS;
    }
  return flags;
}

KontorServiceFlags
kontor_account_sources_get_enabled (const KontorAccountSources *sources)
{
  KontorServiceFlags available = kontor_account_sources_get_available (sources);
  KontorServiceFlags flags = 0;
  gboolean collection_on =
    sources->collection == NULL || e_source_get_enabled (sources->collection);

  if (!collection_on)
    return 0;
  if ((available & KONTOR_SERVICE_MAIL) && e_source_get_enabled (sources->mail_account))
    {
      if (sources->collection == NULL ||
          e_source_collection_get_mail_enabled (
            e_source_get_extension (sources->collection, E_SOURCE_EXTENSION_COLLECTION)))
        flags |= KONTOR_SERVICE_MAIL;
    }
  if ((available & KONTOR_SERVICE_FILES) && e_source_get_enabled (sources->files))
    flags |= KONTOR_SERVICE_FILES;
  if (sources->collection != NULL)
    {
      ESourceCollection *collection =
        e_source_get_extension (sources->collection, E_SOURCE_EXTENSION_COLLECTION);

      if ((available & KONTOR_SERVICE_CALENDAR) &&
          e_source_collection_get_calendar_enabled (collection))
        flags |= KONTOR_SERVICE_CALENDAR;
      if ((available & KONTOR_SERVICE_CONTACTS) &&
          e_source_collection_get_contacts_enabled (collection))
        flags |= KONTOR_SERVICE_CONTACTS;
    }
  return flags;
}

/* Accounts managed by GNOME Online Accounts (or Ubuntu's) are changed there. */
gboolean
kontor_account_sources_is_read_only (const KontorAccountSources *sources)
{
  ESource *root = sources->collection ? sources->collection : sources->mail_account;

  return root != NULL &&
         (e_source_has_extension (root, E_SOURCE_EXTENSION_GOA) ||
          e_source_has_extension (root, E_SOURCE_EXTENSION_UOA) || !e_source_get_removable (root));
}

/* Who manages an account made elsewhere: "goa" (GNOME Online Accounts), "uoa"
 * (Ubuntu Online Accounts), or NULL when it is Kontor's or Evolution's own. */
const char *
kontor_account_sources_get_manager (const KontorAccountSources *sources)
{
  ESource *root = sources->collection ? sources->collection : sources->mail_account;

  if (root != NULL && e_source_has_extension (root, E_SOURCE_EXTENSION_GOA))
    return "goa";
  if (root != NULL && e_source_has_extension (root, E_SOURCE_EXTENSION_UOA))
    return "uoa";
  return NULL;
}

static const char *const service_names[] = { "mail", "calendar", "contacts", "files" };

const char *
kontor_service_to_string (KontorServiceFlags service)
{
  for (guint i = 0; i < G_N_ELEMENTS (service_names); i++)
    if (service == (KontorServiceFlags) (1 << i))
      return service_names[i];
  return NULL;
}

gboolean
kontor_service_from_string (const char *text, KontorServiceFlags *out_service)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (service_names); i++)
    if (g_strcmp0 (text, service_names[i]) == 0)
      {
        *out_service = 1 << i;
        return TRUE;
      }
  return FALSE;
}

GStrv
kontor_service_flags_to_strv (KontorServiceFlags flags)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (service_names); i++)
    if (flags & (1 << i))
      g_strv_builder_add (builder, service_names[i]);
  return g_strv_builder_end (builder);
}
