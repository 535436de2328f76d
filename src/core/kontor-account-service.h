/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service.h: the accounts every plugin shares (a GListModel of
 * KontorAccount), stored in the EDS source registry, passwords in the keyring. */
#pragma once

#include <gio/gio.h>

#include "kontor-account.h"
#include "kontor-discovery.h"
#include "kontor-trust-store.h"
#include "kontor-verification.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNT_SERVICE (kontor_account_service_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccountService,
                      kontor_account_service,
                      KONTOR,
                      ACCOUNT_SERVICE,
                      GObject)

KontorAccountService *
kontor_account_service_new (const char *config_dir, const char *data_dir, const char *cache_dir);
void kontor_account_service_load_async (KontorAccountService *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean kontor_account_service_load_finish (KontorAccountService *self,
                                             GAsyncResult *result,
                                             GError **error);
KontorAccount *kontor_account_service_lookup (KontorAccountService *self, const char *id);
void kontor_account_service_set_discovery (KontorAccountService *self, KontorDiscovery *discovery);

void kontor_account_service_discover_async (KontorAccountService *self,
                                            const char *email,
                                            GVariant *options,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
KontorAccountSettings *kontor_account_service_discover_finish (KontorAccountService *self,
                                                               GAsyncResult *result,
                                                               GError **error);
void kontor_account_service_add_async (KontorAccountService *self,
                                       const char *email,
                                       const char *password,
                                       GVariant *options,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
char *kontor_account_service_add_finish (KontorAccountService *self,
                                         GAsyncResult *result,
                                         GError **error);
void kontor_account_service_update_async (KontorAccountService *self,
                                          const char *id,
                                          GVariant *options,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean kontor_account_service_update_finish (KontorAccountService *self,
                                               GAsyncResult *result,
                                               GError **error);
void kontor_account_service_remove_async (KontorAccountService *self,
                                          const char *id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean kontor_account_service_remove_finish (KontorAccountService *self,
                                               GAsyncResult *result,
                                               GError **error);
void kontor_account_service_set_enabled_async (KontorAccountService *self,
                                               const char *id,
                                               const char *service,
                                               gboolean enabled,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
gboolean kontor_account_service_set_enabled_finish (KontorAccountService *self,
                                                    GAsyncResult *result,
                                                    GError **error);
void kontor_account_service_set_password_async (KontorAccountService *self,
                                                const char *id,
                                                const char *secret,
                                                const char *password,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
gboolean kontor_account_service_set_password_finish (KontorAccountService *self,
                                                     GAsyncResult *result,
                                                     GError **error);
void kontor_account_service_verify_async (KontorAccountService *self,
                                          const char *id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
KontorVerification *kontor_account_service_verify_finish (KontorAccountService *self,
                                                          GAsyncResult *result,
                                                          GError **error);
char *kontor_account_service_dup_mail_password_sync (KontorAccountService *self,
                                                     const char *id,
                                                     GCancellable *cancellable,
                                                     GError **error);
void kontor_account_service_set_aliases_async (KontorAccountService *self,
                                               const char *id,
                                               const char *const *aliases,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
gboolean kontor_account_service_set_aliases_finish (KontorAccountService *self,
                                                    GAsyncResult *result,
                                                    GError **error);
void kontor_account_service_set_signature_async (KontorAccountService *self,
                                                 const char *id,
                                                 const char *text,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer user_data);
gboolean kontor_account_service_set_signature_finish (KontorAccountService *self,
                                                      GAsyncResult *result,
                                                      GError **error);
KontorTrustStore *kontor_account_service_get_trust_store (KontorAccountService *self);

G_END_DECLS
