/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-camel-session.h: Kontor's CamelSession: no prompts, trust only from the trust store. */
#pragma once

#include <camel/camel.h>

#include "kontor-trust-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_CAMEL_SESSION (kontor_camel_session_get_type ())

G_DECLARE_FINAL_TYPE (KontorCamelSession, kontor_camel_session, KONTOR, CAMEL_SESSION, CamelSession)

KontorCamelSession *kontor_camel_session_new (const char *user_data_dir,
                                              const char *user_cache_dir,
                                              KontorTrustStore *trust);
KontorTrustStore *kontor_camel_session_get_trust_store (KontorCamelSession *self);
CamelService *kontor_camel_session_add_temporary_service (KontorCamelSession *self,
                                                          const char *protocol,
                                                          CamelProviderType type,
                                                          GError **error);
GTlsCertificate *kontor_camel_session_dup_rejected_certificate (KontorCamelSession *self,
                                                                const char *service_uid);
gboolean kontor_camel_session_get_password_rejected (KontorCamelSession *self,
                                                     const char *service_uid);
void kontor_camel_session_forget_trust (KontorCamelSession *self, const char *host);

G_END_DECLS
