/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-application.h: the Kontor application (single instance, D-Bus activatable). */
#pragma once

#include <adwaita.h>

#include "kontor-accounts-ui.h"
#include "kontor-core.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_APPLICATION (kontor_application_get_type ())

G_DECLARE_FINAL_TYPE (KontorApplication, kontor_application, KONTOR, APPLICATION, AdwApplication)

KontorApplication *kontor_application_new (void);
KontorContext *kontor_application_get_context (KontorApplication *self);
KontorPluginManager *kontor_application_get_plugin_manager (KontorApplication *self);
const char *kontor_application_get_active_plugin (KontorApplication *self);
gboolean
kontor_application_present_plugin (KontorApplication *self, const char *plugin_id, GError **error);
void kontor_application_open_uri_async (KontorApplication *self,
                                        const char *uri,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean
kontor_application_open_uri_finish (KontorApplication *self, GAsyncResult *result, GError **error);
const KontorAccountsUi *kontor_application_ensure_accounts (KontorApplication *self,
                                                            KontorAccountService **out_service,
                                                            GError **error);

G_END_DECLS
