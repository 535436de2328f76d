/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-settings.h: everything needed to reach one account's services, as
 * discovered, as the user edited it, and as verified before it is stored. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_SECURITY_TLS,      /* implicit TLS (IMAPS 993, SMTPS 465, https) */
  KONTOR_SECURITY_STARTTLS, /* plain connection upgraded with STARTTLS, never without */
  KONTOR_SECURITY_NONE,     /* plain text: only when chosen explicitly, for localhost */
} KontorSecurity;

typedef struct
{
  char *email;
  char *display_name;  /* the account's name in lists */
  char *full_name;     /* the sender's name on mail; display_name when NULL */
  char *username;      /* login for IMAP and SMTP; the e-mail address when NULL */
  GStrv aliases;       /* other From addresses, "Name <address>" or "address"; or NULL */
  char *signature_uid; /* the identity's signature source, "none", or NULL (Evolution's) */

  char *imap_host;
  guint16 imap_port;
  KontorSecurity imap_security;

  char *smtp_host;
  guint16 smtp_port;
  KontorSecurity smtp_security;

  char *caldav_url;   /* a CalDAV home or collection, or NULL */
  char *carddav_url;  /* a CardDAV home or collection, or NULL */
  char *webdav_url;   /* the files folder (Nextcloud: .../remote.php/dav/files/USER/), or NULL */
  char *dav_username; /* login for CalDAV/CardDAV/WebDAV; username when NULL */

  char *trusted_certificate; /* PEM of a certificate the user accepted, or NULL */
  char *origin;              /* how the settings were found: "opendesk", "autoconfig",
                              * "srv", "well-known", "guess", "manual" */
} KontorAccountSettings;

#define KONTOR_TYPE_ACCOUNT_SETTINGS (kontor_account_settings_get_type ())

GType kontor_account_settings_get_type (void) G_GNUC_CONST;
KontorAccountSettings *kontor_account_settings_new (const char *email);
KontorAccountSettings *kontor_account_settings_copy (const KontorAccountSettings *self);
void kontor_account_settings_free (KontorAccountSettings *self);
const char *kontor_account_settings_get_login (const KontorAccountSettings *self);
const char *kontor_account_settings_get_dav_login (const KontorAccountSettings *self);
char *kontor_account_settings_dup_domain (const KontorAccountSettings *self);
gboolean kontor_account_settings_apply_options (KontorAccountSettings *self,
                                                GVariant *options,
                                                GError **error);
void kontor_account_settings_drop_empty_urls (KontorAccountSettings *self);
gboolean kontor_account_settings_validate (const KontorAccountSettings *self, GError **error);

const char *kontor_security_to_string (KontorSecurity security);
gboolean kontor_security_from_string (const char *text, KontorSecurity *out_security);
gboolean kontor_host_is_local (const char *host);
gboolean kontor_email_is_valid (const char *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorAccountSettings, kontor_account_settings_free)

G_END_DECLS
