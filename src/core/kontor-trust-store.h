/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-trust-store.h: the certificates a user accepted, each pinned to one host and port. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_TRUST_STORE (kontor_trust_store_get_type ())

G_DECLARE_FINAL_TYPE (KontorTrustStore, kontor_trust_store, KONTOR, TRUST_STORE, GObject)

KontorTrustStore *kontor_trust_store_new (const char *path);
const char *kontor_trust_store_get_path (KontorTrustStore *self);
gboolean kontor_trust_store_is_pinned (KontorTrustStore *self,
                                       const char *host,
                                       guint16 port,
                                       GTlsCertificate *certificate);
GTlsCertificate *
kontor_trust_store_dup_certificate (KontorTrustStore *self, const char *host, guint16 port);
gboolean kontor_trust_store_pin (KontorTrustStore *self,
                                 const char *host,
                                 guint16 port,
                                 GTlsCertificate *certificate,
                                 GError **error);
gboolean
kontor_trust_store_unpin (KontorTrustStore *self, const char *host, guint16 port, GError **error);

char *kontor_certificate_dup_sha256 (GTlsCertificate *certificate);
char *kontor_certificate_dup_pem (GTlsCertificate *certificate);
char *kontor_certificate_dup_subject (GTlsCertificate *certificate);
char *kontor_certificate_dup_issuer (GTlsCertificate *certificate);

G_END_DECLS
