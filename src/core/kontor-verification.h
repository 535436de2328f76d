/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-verification.h: what connecting to each of an account's services showed. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The service ids, in the order results are reported. */
#define KONTOR_SERVICE_IMAP    "imap"
#define KONTOR_SERVICE_SMTP    "smtp"
#define KONTOR_SERVICE_CALDAV  "caldav"
#define KONTOR_SERVICE_CARDDAV "carddav"
#define KONTOR_SERVICE_WEBDAV  "webdav"

#define KONTOR_TYPE_VERIFICATION (kontor_verification_get_type ())

G_DECLARE_FINAL_TYPE (KontorVerification, kontor_verification, KONTOR, VERIFICATION, GObject)

KontorVerification *kontor_verification_new (void);
void kontor_verification_set_ok (KontorVerification *self, const char *service);
void
kontor_verification_set_error (KontorVerification *self, const char *service, const GError *error);
void kontor_verification_set_certificate (KontorVerification *self,
                                          const char *service,
                                          GTlsCertificate *certificate);
gboolean kontor_verification_has_service (KontorVerification *self, const char *service);
const GError *kontor_verification_get_error (KontorVerification *self, const char *service);
GTlsCertificate *kontor_verification_get_certificate (KontorVerification *self,
                                                      const char *service);
char **kontor_verification_dup_services (KontorVerification *self);
gboolean kontor_verification_is_ok (KontorVerification *self);
GError *kontor_verification_dup_first_error (KontorVerification *self);
GVariant *kontor_verification_to_variant (KontorVerification *self);

G_END_DECLS
