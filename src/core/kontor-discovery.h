/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery.h: finds an account's servers from its e-mail address. */
#pragma once

#include <gio/gio.h>

#include "kontor-account-settings.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_DISCOVERY (kontor_discovery_get_type ())

G_DECLARE_FINAL_TYPE (KontorDiscovery, kontor_discovery, KONTOR, DISCOVERY, GObject)

/**
 * KontorDiscoveryRewriteFunc:
 * @uri: an absolute URL ("https://autoconfig.example.org/mail/...") or a
 *   "host:port" string ("imap.example.org:993", "[2001:db8::1]:993") that discovery
 *   is about to connect to
 * @user_data: the data given to kontor_discovery_set_rewrite_func()
 *
 * A test seam: lets a test send the requests of a discovery to servers it runs
 * itself. The rewritten string only changes where discovery connects; the settings
 * it returns still name the original hosts.
 *
 * Returns: (transfer full) (nullable): the string to connect to instead, or %NULL to
 *   connect to @uri as it is
 */
typedef char *(*KontorDiscoveryRewriteFunc) (const char *uri, gpointer user_data);

KontorDiscovery *kontor_discovery_new (void);

guint kontor_discovery_get_timeout (KontorDiscovery *self);
void kontor_discovery_set_timeout (KontorDiscovery *self, guint timeout);
GResolver *kontor_discovery_get_resolver (KontorDiscovery *self);
void kontor_discovery_set_resolver (KontorDiscovery *self, GResolver *resolver);
void kontor_discovery_set_rewrite_func (KontorDiscovery *self,
                                        KontorDiscoveryRewriteFunc func,
                                        gpointer user_data,
                                        GDestroyNotify destroy);

void kontor_discovery_discover_async (KontorDiscovery *self,
                                      const char *email,
                                      const char *preset,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
KontorAccountSettings *
kontor_discovery_discover_finish (KontorDiscovery *self, GAsyncResult *result, GError **error);

G_END_DECLS
