/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-address-books.h: every enabled EDS address book, asked for completions. */
#pragma once

#include <gio/gio.h>

#include "kontor-account-service.h"
#include "kontor-completion-query.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ADDRESS_BOOKS (kontor_address_books_get_type ())

G_DECLARE_FINAL_TYPE (KontorAddressBooks, kontor_address_books, KONTOR, ADDRESS_BOOKS, GObject)

KontorAddressBooks *kontor_address_books_new (KontorAccountService *accounts);
void kontor_address_books_query_async (KontorAddressBooks *self,
                                       const char *text,
                                       guint timeout_ms,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
GPtrArray *
kontor_address_books_query_finish (KontorAddressBooks *self, GAsyncResult *result, GError **error);

G_END_DECLS
