/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant-private.h: what the assistant's files share. */
#pragma once

#include <adwaita.h>

#include "kontor-core.h"

G_BEGIN_DECLS

GPtrArray *kontor_account_assistant_new_endpoints (void);
void kontor_account_assistant_add_endpoint (GPtrArray *endpoints,
                                            const char *protocol,
                                            const char *host,
                                            guint16 port,
                                            KontorSecurity security);
void kontor_account_assistant_add_url_endpoint (GPtrArray *endpoints, const char *url);
void kontor_account_assistant_fetch_certificate_async (GPtrArray *endpoints,
                                                       const char *reported,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
GTlsCertificate *kontor_account_assistant_fetch_certificate_finish (GAsyncResult *result,
                                                                    char **out_server,
                                                                    GError **error);
GtkWidget *kontor_account_assistant_new_trust_dialog (GtkWindow *parent,
                                                      GTlsCertificate *certificate,
                                                      const char *server);

G_END_DECLS
