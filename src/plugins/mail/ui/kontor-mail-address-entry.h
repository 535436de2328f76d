/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-address-entry.h: a recipients entry (comma-separated addresses) that
 * offers completions from the address books and recent recipients as the user types. */
#pragma once

#include <adwaita.h>

#include "kontor-address-completion.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_ADDRESS_ENTRY (kontor_mail_address_entry_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailAddressEntry,
                      kontor_mail_address_entry,
                      KONTOR,
                      MAIL_ADDRESS_ENTRY,
                      AdwBin)

void kontor_mail_address_entry_set_completion (KontorMailAddressEntry *self,
                                               KontorAddressCompletion *completion);
GtkEditable *kontor_mail_address_entry_get_editable (KontorMailAddressEntry *self);
GStrv kontor_mail_address_entry_dup_addresses (KontorMailAddressEntry *self);
void kontor_mail_address_entry_set_addresses (KontorMailAddressEntry *self,
                                              const char *const *addresses);

G_END_DECLS
