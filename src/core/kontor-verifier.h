/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-verifier.h: checks an account's settings by connecting to each of its services. */
#pragma once

#include <gio/gio.h>

#include "kontor-account-settings.h"
#include "kontor-camel-session.h"
#include "kontor-trust-store.h"
#include "kontor-verification.h"

G_BEGIN_DECLS

#define KONTOR_VERIFIER_DEFAULT_TIMEOUT 15

#define KONTOR_TYPE_VERIFIER (kontor_verifier_get_type ())

G_DECLARE_FINAL_TYPE (KontorVerifier, kontor_verifier, KONTOR, VERIFIER, GObject)

KontorVerifier *kontor_verifier_new (KontorCamelSession *session, KontorTrustStore *trust);
guint kontor_verifier_get_timeout (KontorVerifier *self);
void kontor_verifier_set_timeout (KontorVerifier *self, guint timeout);
void kontor_verifier_verify_async (KontorVerifier *self,
                                   const KontorAccountSettings *settings,
                                   const char *mail_password,
                                   const char *dav_password,
                                   const char *files_password,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
KontorVerification *
kontor_verifier_verify_finish (KontorVerifier *self, GAsyncResult *result, GError **error);

G_END_DECLS
