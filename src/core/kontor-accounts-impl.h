/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-impl.h: the io.github.kontor.Accounts1 D-Bus interface. */
#pragma once

#include <gio/gio.h>

#include "kontor-account-service.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNTS_IMPL (kontor_accounts_impl_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccountsImpl, kontor_accounts_impl, KONTOR, ACCOUNTS_IMPL, GObject)

KontorAccountsImpl *kontor_accounts_impl_new (KontorAccountService *service);
gboolean kontor_accounts_impl_export (KontorAccountsImpl *self,
                                      GDBusConnection *connection,
                                      const char *object_path,
                                      GError **error);
void kontor_accounts_impl_unexport (KontorAccountsImpl *self);
GDBusInterfaceSkeleton *kontor_accounts_impl_get_skeleton (KontorAccountsImpl *self);

G_END_DECLS
