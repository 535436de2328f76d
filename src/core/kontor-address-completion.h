/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-address-completion.h: completes recipient addresses while the user types,
 * from the recent recipients and every enabled address book. GTK-free. */
#pragma once

#include <gio/gio.h>

#include "kontor-account-service.h"
#include "kontor-completion-result.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ADDRESS_COMPLETION (kontor_address_completion_get_type ())

G_DECLARE_FINAL_TYPE (KontorAddressCompletion,
                      kontor_address_completion,
                      KONTOR,
                      ADDRESS_COMPLETION,
                      GObject)

KontorAddressCompletion *kontor_address_completion_new (KontorAccountService *accounts,
                                                        const char *data_dir);
void kontor_address_completion_complete_async (KontorAddressCompletion *self,
                                               const char *text,
                                               guint limit,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
GListModel *kontor_address_completion_complete_finish (KontorAddressCompletion *self,
                                                       GAsyncResult *result,
                                                       GError **error);
void kontor_address_completion_note_used (KontorAddressCompletion *self,
                                          const char *const *addresses_in_rfc822_form);
void kontor_address_completion_flush_async (KontorAddressCompletion *self,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean kontor_address_completion_flush_finish (KontorAddressCompletion *self,
                                                 GAsyncResult *result,
                                                 GError **error);

G_END_DECLS
