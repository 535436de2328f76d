/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service-private.h: what the account service's files share. */
#pragma once

#include <libedataserver/libedataserver.h>

#include "kontor-account-service.h"
#include "kontor-account-sources.h"
#include "kontor-camel-session.h"
#include "kontor-discovery.h"
#include "kontor-trust-store.h"
#include "kontor-verifier.h"

G_BEGIN_DECLS

struct _KontorAccountService
{
  GObject parent_instance;

  char *config_dir;
  char *data_dir;
  char *cache_dir;

  ESourceRegistry *registry;
  GPtrArray *accounts;
  GQueue pending_loads;
  gboolean loading;
  guint refresh_id;

  KontorTrustStore *trust;
  KontorCamelSession *camel;
  KontorVerifier *verifier;
  KontorDiscovery *discovery;
};

typedef struct
{
  char *id;
  char *email;
  char *password;
  char *secret;
  GVariant *options;
  KontorAccountSettings *settings;
  gboolean enabled;
  KontorServiceFlags service;
} KontorAccountOp;

GTask *kontor_account_service_op_task (KontorAccountService *self,
                                       gpointer source_tag,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data,
                                       KontorAccountOp **out_op);
void kontor_account_service_op_free (KontorAccountOp *op);
KontorAccount *kontor_account_service_find (GPtrArray *accounts, const char *id);
KontorTrustStore *kontor_account_service_ensure_trust (KontorAccountService *self);
KontorVerifier *kontor_account_service_ensure_verifier (KontorAccountService *self);
ESourceRegistry *kontor_account_service_get_registry (KontorAccountService *self);
void kontor_account_service_refresh (KontorAccountService *self);

void kontor_account_service_identity_op_async (KontorAccountService *self,
                                               const char *id,
                                               gpointer source_tag,
                                               GTaskThreadFunc func,
                                               gpointer data,
                                               GDestroyNotify data_free,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
gpointer kontor_account_service_identity_op_get_data (GTask *task);
gboolean kontor_account_service_identity_op_finish (KontorAccountService *self,
                                                    GAsyncResult *result,
                                                    GError **error);
ESourceMailIdentity *kontor_account_service_lookup_identity (KontorAccountService *self,
                                                             GTask *task,
                                                             KontorAccountSources *sources);

G_END_DECLS
