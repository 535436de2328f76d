/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-lazy-interface.h: a D-Bus interface that is on the bus at once and is
 * implemented on its first use. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * KontorLazyInterfaceLoader:
 * @user_data: what was given to kontor_lazy_interface_new()
 * @error: where to put why the interface cannot be implemented
 *
 * Makes the real implementation, typically after opening the library it lives in.
 * Called on the main thread (the thread of the connection's main context), at most
 * once successfully.
 *
 * Returns: (transfer full) (nullable): the skeleton, or %NULL with @error set; then
 *   the call that needed it gets @error as its D-Bus error, and the next call tries
 *   again
 */
typedef GDBusInterfaceSkeleton *(*KontorLazyInterfaceLoader) (gpointer user_data, GError **error);

#define KONTOR_TYPE_LAZY_INTERFACE (kontor_lazy_interface_get_type ())

G_DECLARE_FINAL_TYPE (KontorLazyInterface, kontor_lazy_interface, KONTOR, LAZY_INTERFACE, GObject)

KontorLazyInterface *kontor_lazy_interface_new (GDBusInterfaceInfo *info,
                                                KontorLazyInterfaceLoader loader,
                                                gpointer user_data,
                                                GDestroyNotify user_data_free);
gboolean kontor_lazy_interface_export (KontorLazyInterface *self,
                                       GDBusConnection *connection,
                                       const char *object_path,
                                       GError **error);
void kontor_lazy_interface_unexport (KontorLazyInterface *self);
void kontor_lazy_interface_set_keep_stub (KontorLazyInterface *self, gboolean keep_stub);
GDBusInterfaceSkeleton *kontor_lazy_interface_load (KontorLazyInterface *self, GError **error);
GDBusInterfaceSkeleton *kontor_lazy_interface_get_skeleton (KontorLazyInterface *self);

G_END_DECLS
